using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Core.Access;
using Rewind.Server.Access;
using Rewind.Server.Api;
using Rewind.Server.Dashboard;
using Rewind.Server.Hosting;
using Rewind.Server.Incidents;
using Rewind.Server.Metrics;
using Rewind.Server.Notifications;
using Rewind.Server.Policies;
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
        ConfigureLogging(builder.Logging, options);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = RewindJson.Options.PropertyNamingPolicy);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<StoreOutageAnswers>();
        builder.Services.AddSingleton(options);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var secrets = NotificationSecrets.Read(config.Notifications); // before anything is opened: a missing secret stops the start
        var (store, controllerLock) = await OpenStoreAsync(config, cancellationToken);
        var replica = options.Replica ?? DefaultReplica(options.Listen ?? config.Server.Listen);
        AddLeadershipServices(builder.Services, replica, StoreFactory.OpenLease(config.Store, replica, config.Server.LeaderLease));
        AddControllerServices(builder.Services, config, store);
        AddNotificationServices(builder.Services, config, secrets);
        if (controllerLock is not null)
        {
            builder.Services.AddSingleton(_ => controllerLock); // a factory registration, so the container disposes it
        }

        var app = builder.Build();
        if (controllerLock is not null)
        {
            app.Services.GetRequiredService<ControllerLock>(); // held by the container from now on: released when the app is disposed
            app.Lifetime.ApplicationStopped.Register(controllerLock.Dispose); // or stopped
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: a user is counted by name, anyone else by address
        app.UseMiddleware<CsrfMiddleware>();
        app.UseMiddleware<ChangeNoticeMiddleware>();
        app.UseAuthorization();
        MapApi(app.MapGroup("/api/v1").RequireAuthorization(Roles.Viewer));
        app.MapMetricsEndpoints(config.Server.MetricsRequireToken);
        app.MapStatusPageEndpoints();
        app.MapDashboardEndpoints();
        return app;
    }

    /// <summary><c>HOST:PORT</c>: stable across restarts, and two replicas on one host listen on two ports.</summary>
    private static string DefaultReplica(string listen) =>
        Uri.TryCreate(listen, UriKind.Absolute, out var uri) ? $"{Environment.MachineName}:{uri.Port}" : $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// The lease, this replica's part in it, the election (registered before every loop it starts, and stopped last) and
    /// the heartbeat that lists the replica in the store.
    /// </summary>
    private static void AddLeadershipServices(IServiceCollection services, string replica, Core.Leadership.ILeaderLease lease)
    {
        services.AddSingleton(_ => lease); // a factory registration, so the container disposes it (its session ends)
        services.AddSingleton(new Leadership(replica, lease.IsShared, lease.Ttl));
        services.AddHostedService<LeaderElection>();
        services.AddHostedService<ReplicaHeartbeat>();
    }

    /// <summary>One line per entry on the console, UTC, with the rollback's and incident's IDs; and the extra loggers.</summary>
    private static void ConfigureLogging(ILoggingBuilder logging, RewindServerOptions options)
    {
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

        logging.SetMinimumLevel(options.MinimumLogLevel);
        logging.AddFilter("Microsoft", LogLevel.Warning);
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
            foreach (var (name, component) in config.Components)
            {
                await store.EnsureComponentAsync(name, component.Provider.Kind, cancellationToken);
            }

            return (store, controllerLock);
        }
        catch
        {
            controllerLock?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The monitor's own health, the board of probe results, the store's write health, the reserve kept on a SQLite
    /// store's disk, the writes that never stop a decision, and the controller's own faults with their watch.
    /// </summary>
    private static void AddHealthServices(IServiceCollection services, RewindConfig config)
    {
        services.AddSingleton(sp => new MonitorHealth(sp.GetRequiredService<RewindServerOptions>().MonitorHealth));
        services.AddSingleton<HealthBoard>();
        services.AddSingleton<StoreHealth>();
        services.AddSingleton(new StoreReserve(StoreFactory.SqliteFile(config.Store)));
        services.AddSingleton<StoreWrites>();
        services.AddHostedService<StoreSpaceHostedService>();
        services.AddSingleton<ControllerFaults>();
        services.AddSingleton<ExecutorCrashes>();
        services.AddHostedService<FaultWatch>();
    }

    private static void AddControllerServices(IServiceCollection services, RewindConfig config, IStore store)
    {
        services.AddSingleton(_ => store); // a factory registration, so the container disposes the store (its connection pool) at shutdown
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ConfigHolder(config));
        services.AddSingleton(new ServerClock(TimeProvider.System)); // created now: "up since" is the start, not the first question
        AddHealthServices(services, config);
        services.AddSingleton<ControllerMetrics>();
        services.AddSingleton<PublicStatusReader>();
        services.AddSingleton<TrafficBoard>();
        services.AddSingleton<Releases.ReleaseEvidence>();
        services.AddSingleton<DecisionEngine>();
        services.AddSingleton<RollbackQueue>();
        services.AddSingleton<RollbackAborts>();
        services.AddSingleton<StepLeftovers>();
        services.AddSingleton<GroupCoordinator>();
        services.AddSingleton<Runtime.Runbooks.IStepRunner, NotifyStepRunner>();
        services.AddSingleton<Runtime.Runbooks.IStepRunner>(sp => new ParallelStepRunner(sp, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Runtime.Runbooks.IStepRunner, PolicyHoldStepRunner>();
        services.AddSingleton<RollbackCoordinator>();
        services.AddSingleton<Backups.RestorePoints>();
        services.AddSingleton<Runtime.Runbooks.IStepRunner, Backups.SnapshotStepRunner>();
        services.AddSingleton<Runtime.Runbooks.IStepRunner, Backups.DatabaseRestoreStepRunner>();
        services.AddSingleton<RollbackExecutor>();
        services.AddRewindRuntime();
        services.AddRewindAuthorization();
        services.AddRewindLimits();
        services.AddHostedService<ExecutorHostedService>();
        services.AddHostedService<MonitorHostedService>();
        services.AddHostedService<VersionHostedService>();
        services.AddHostedService<TimerLagHostedService>();
        services.AddHostedService<BakeHostedService>();
        services.AddHostedService<Backups.BackupScheduleHostedService>();
        services.AddHostedService<Backups.BackupSignalsHostedService>();
        services.AddHostedService<ScrapeHostedService>();
        services.AddHostedService<QueryHostedService>();
        services.AddHostedService<ConditionTickHostedService>();
        services.AddHostedService<ApprovalTimeoutHostedService>();
        services.AddSingleton<Escalator>();
        services.AddHostedService<EscalationHostedService>();
        AddDashboardServices(services);
    }

    /// <summary>The dashboard's assets and the feed of changes its pages follow.</summary>
    private static void AddDashboardServices(IServiceCollection services)
    {
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<DashboardAssets>();
        services.AddHostedService<ChangeFeedHostedService>();
    }

    private static void AddNotificationServices(IServiceCollection services, RewindConfig config, NotificationSecrets secrets)
    {
        services.AddSingleton(sp => new NotificationChannels(config.Notifications, secrets, sp.GetRequiredService<Runtime.Processes.ProcessRunner>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<NotificationComposer>();
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
    }
}
