using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Engine.Releases;
using Rewind.Engine.Runbooks;
using Rewind.Server.Access;
using Rewind.Server.Api;
using Rewind.Server.Dashboard;
using Rewind.Server.Hosting;
using Rewind.Server.Incidents;
using Rewind.Server.Metrics;
using Rewind.Server.Notifications;
using Rewind.Server.Releases;
using Rewind.Server.Runbooks;
using Rewind.Server.Signals;
using Rewind.Server.StatusPage;
using Rewind.Storage;

namespace Rewind.Server;

/// <summary>Options of one controller process beyond the config file.</summary>
public sealed class RewindServerOptions
{
    /// <summary>Overrides <c>server.listen</c> from the config; https:// only with <c>server.tls</c>, http:// only without.</summary>
    public string? Listen { get; init; }

    /// <summary>The least severe log level written. Default Information.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// Loggers besides the console (a log shipper, or a test reading what was logged); they get what the console gets.
    /// Default none.
    /// </summary>
    public IReadOnlyList<ILoggerProvider> LoggerProviders { get; init; } = [];

    /// <summary>
    /// The config file's path, given to <c>rewind wal fetch</c> when a scheduled restore drill replays WAL. Default null:
    /// scheduled drills say they cannot run (quick verification and base backups still do).
    /// </summary>
    public string? ConfigPath { get; init; }

    /// <summary>How often backup schedules are looked at. Default 30s.</summary>
    public TimeSpan BackupScheduleTick { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The rules by which the controller tells its own overload from the failure of a release (see <see cref="MonitorHealthOptions"/> for the defaults).</summary>
    public MonitorHealthOptions MonitorHealth { get; init; } = new();

    /// <summary>How often the backup signals (<c>backup.rpo</c>…) are measured. Default 10s.</summary>
    public TimeSpan BackupSignalInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// This controller's name among the replicas of its store, unique among them. Default <c>HOST:PORT</c> of the
    /// machine and the listening port, which stays the same across restarts.
    /// </summary>
    public string? Replica { get; init; }

    /// <summary>How long a fault of the controller itself lasts before it is paged. Default 10s.</summary>
    public TimeSpan FaultPageAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a paged fault of the controller itself must stay away before its end is paged. Default 30s.</summary>
    public TimeSpan FaultQuietFor { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Builds the one process that runs Rewind: API, monitor, decision engine and executor as hosted services.</summary>
public static class RewindServer
{
    public static async Task<WebApplication> CreateAsync(RewindConfig config, RewindServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RewindServerOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        Listener.Configure(builder.WebHost, config, options.Listen ?? config.Server.Listen, TimeProvider.System.GetUtcNow());
        var started = ConfigureLogging(builder.Logging, options);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = RewindJson.Options.PropertyNamingPolicy);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StoreOutageAnswers>();
        builder.Services.AddSingleton(options);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        builder.Services.AddSingleton<TimeProvider>(TimeProvider.System);
        builder.Services.AddSingleton<ChangeFeed>();
        builder.Services.AddSingleton<IChangeNotice>(sp => sp.GetRequiredService<ChangeFeed>());
        builder.Services.AddRewindTelemetry(config.Server.Telemetry, Environment.GetEnvironmentVariable) // traces, when a receiver is configured
            .AddRewindEngine(config, EngineOptions(config, options)); // reads the notification secrets: a missing one stops the start before anything is opened
        var (store, controllerLock) = await OpenStoreAsync(config, cancellationToken);
        var replica = options.Replica ?? DefaultReplica(options.Listen ?? config.Server.Listen);
        AddLeadershipServices(builder.Services, replica, StoreFactory.OpenLease(config.Store, replica, config.Server.LeaderLease));
        AddControllerServices(builder.Services, store);
        AddNotificationServices(builder.Services);
        if (controllerLock is not null)
        {
            builder.Services.AddSingleton(_ => controllerLock); // a factory registration, so the container disposes it
        }

        var app = LogAddressesOnStart(builder.Build(), started);
        app.Services.GetRequiredService<ServerClock>(); // created now: "up since" is the start, not the first question
        if (controllerLock is not null)
        {
            app.Services.GetRequiredService<ControllerLock>(); // held by the container from now on: released when the app is disposed
            app.Lifetime.ApplicationStopped.Register(controllerLock.Dispose); // or stopped
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting().UseMiddleware<ConfigPinMiddleware>(); // each request answered from one config, whatever a reload does meanwhile
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: a user is counted by name, anyone else by address
        app.UseMiddleware<CsrfMiddleware>();
        app.UseMiddleware<ChangeNoticeMiddleware>();
        app.UseAuthorization();
        app.MapGroup("/api/v1/agent").RequireAuthorization(AccessPolicies.AgentPolicy).MapAgentWorkEndpoints();
        MapApi(app.MapGroup("/api/v1").RequireAuthorization(Roles.Viewer));
        app.MapMetricsEndpoints(config.Server.MetricsRequireToken);
        app.MapStatusPageEndpoints();
        app.MapDashboardEndpoints();
        return app;
    }

    /// <summary>Once listening, one line per address with the dashboard's URL there: where to point a browser or the CLI.</summary>
    private static WebApplication LogAddressesOnStart(WebApplication app, StrongBox<bool> started)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rewind.Server");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            started.Value = true;
            foreach (var address in app.Urls)
            {
                ServerLog.Listening(logger, address, address.TrimEnd('/') + "/ui/");
            }
        });
        return app;
    }

    /// <summary><c>HOST:PORT</c>: stable across restarts, and two replicas on one host listen on two ports.</summary>
    private static string DefaultReplica(string listen) =>
        Uri.TryCreate(listen, UriKind.Absolute, out var uri) ? $"{Environment.MachineName}:{uri.Port}" : $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// The lease, this replica's part in it, the election (registered before every loop it starts, and stopped last),
    /// the heartbeat that lists the replica in the store, its share lease and the reading of the samples other replicas write.
    /// </summary>
    private static void AddLeadershipServices(IServiceCollection services, string replica, Core.Leadership.ILeaderLease lease)
    {
        services.AddSingleton(_ => lease); // a factory registration, so the container disposes it (its session ends)
        services.AddSingleton(provider => new Leadership(replica, lease.IsShared, lease.Ttl, provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<LeaderElection>();
        services.AddHostedService<ReplicaHeartbeat>();
        services.AddSingleton(provider => new Engine.Shares.WatchShare(
            provider.GetRequiredService<IStore>(), replica, lease.IsShared, lease.Ttl, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILoggerFactory>().CreateLogger<Engine.Shares.WatchShare>()));
        services.AddHostedService<WatchShareHostedService>(); // before the monitor, so it stops after it: the share is given up once its probes have stopped
        services.AddHostedService<Signals.SharedSamplesHostedService>();
        services.AddHostedService<StandbyWarmup>();
    }

    /// <summary>
    /// One line per entry on the console, UTC, with the rollback's and incident's IDs and the trace's; and the extra loggers. The host's
    /// own lines stay quiet until it has started: a start that fails (an address in use) is said once, by the caller,
    /// not again with the framework's stack traces. The box is set once started.
    /// </summary>
    private static StrongBox<bool> ConfigureLogging(ILoggingBuilder logging, RewindServerOptions options)
    {
        var started = new StrongBox<bool>(false);
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
            o.IncludeScopes = true; // RollbackId and IncidentId on every line a rollback writes
        });
        foreach (var provider in options.LoggerProviders)
        {
            logging.AddProvider(provider);
        }

        // Inside a span (a rollback, an API request), every provider gets its trace and span ids as a scope.
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        logging.SetMinimumLevel(options.MinimumLogLevel);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => started.Value && level >= LogLevel.Warning);
        return started;
    }

    /// <summary>
    /// Opens and migrates the store; a SQLite store first takes its <see cref="ControllerLock"/>, so a second controller on
    /// the same file is refused before it touches anything.
    /// </summary>
    private static async Task<(IStore Store, ControllerLock? Lock)> OpenStoreAsync(RewindConfig config, CancellationToken cancellationToken)
    {
        var store = StoreFactory.Open(config.Store); // creates a SQLite store's directory
        var controllerLock = StoreFactory.SqliteFile(config.Store) is { } file ? ControllerLock.Take(file, TimeProvider.System.GetUtcNow()) : null;
        try
        {
            await store.MigrateAsync(cancellationToken);
            await store.EnsureComponentsAsync([.. config.Components.Select(c => KeyValuePair.Create(c.Key, c.Value.Provider.Kind))], cancellationToken);

            return (store, controllerLock);
        }
        catch
        {
            controllerLock?.Dispose();
            throw;
        }
    }

    private static RewindEngineOptions EngineOptions(RewindConfig config, RewindServerOptions options) => new()
    {
        ConfigPath = options.ConfigPath,
        MonitorHealth = options.MonitorHealth,
        StoreFile = StoreFactory.SqliteFile(config.Store),
        IsDiskFull = StoreFactory.IsDiskFull,
        IsStaleLeader = StoreFactory.IsStaleLeader,
    };

    /// <summary>The store, and the hosted loops that run the engine: monitor, executor, schedules, escalation, faults.</summary>
    private static void AddControllerServices(IServiceCollection services, IStore store)
    {
        services.AddSingleton(_ => store); // a factory registration, so the container disposes the store (its connection pool) at shutdown
        services.AddHostedService<StoreSpaceHostedService>();
        services.AddHostedService<FaultWatch>();
        services.AddSingleton<PublicStatusReader>();
        services.AddRewindAuthorization();
        services.AddRewindLimits();
        services.AddHostedService<ExecutorHostedService>();
        services.AddHostedService<SampleWriterHostedService>(); // before the monitor: stops after it, writing what it queued
        services.AddHostedService<DecisionFactsHostedService>();
        services.AddHostedService<MonitorHostedService>();
        services.AddHostedService<HostProbeHostedService>();
        services.AddHostedService<VersionHostedService>();
        services.AddHostedService<TimerLagHostedService>();
        services.AddHostedService<BakeHostedService>();
        services.AddHostedService<SampleRollupHostedService>();
        services.AddHostedService<Backups.BackupScheduleHostedService>();
        services.AddHostedService<Backups.BackupSignalsHostedService>();
        services.AddHostedService<Drills.DrillHostedService>();
        services.AddHostedService<ScrapeHostedService>();
        services.AddHostedService<QueryHostedService>();
        services.AddHostedService<ConditionTickHostedService>();
        services.AddHostedService<ApprovalTimeoutHostedService>();
        services.AddHostedService<EscalationHostedService>();
        services.AddHostedService<Agents.AgentLivenessHostedService>();
        services.AddSingleton<ConfigReloads>().AddHostedService<ConfigReloadHostedService>();
        AddDashboardServices(services);
    }

    /// <summary>The dashboard's assets and the feed of changes its pages follow.</summary>
    private static void AddDashboardServices(IServiceCollection services)
    {
        services.AddSingleton<DashboardAssets>();
        services.AddHostedService<ChangeFeedHostedService>();
    }

    /// <summary>The loops that turn the timeline into notifications and deliver them, and the controller's pages about itself.</summary>
    private static void AddNotificationServices(IServiceCollection services)
    {
        services.AddHostedService<NotificationTailHostedService>();
        services.AddHostedService<NotificationDispatchHostedService>();
        services.AddSingleton<ControllerPageDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<ControllerPageDelivery>());
    }

    private static void MapApi(RouteGroupBuilder api)
    {
        api.MapHealthEndpoints();
        api.MapComponentEndpoints();
        api.MapReleaseEndpoints();
        api.MapIncidentEndpoints();
        api.MapRollbackEndpoints();
        api.MapMaintenanceEndpoints();
        api.MapSignalEndpoints();
        api.MapAccessEndpoints();
        api.MapApprovalEndpoints();
        api.MapNotificationEndpoints();
        api.MapEventEndpoints();
        api.MapSampleEndpoints();
        api.MapApprovalStatusEndpoints();
        api.MapBackupSetEndpoints();
        api.MapAgentEndpoints();
        api.MapConfigEndpoints();
        Drills.DrillEndpoints.MapDrillEndpoints(api);
    }
}
