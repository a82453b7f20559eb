using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Storage;
using Rewind.Server.Api;
using Rewind.Server.Hosting;
using Rewind.Server.Policies;
using Rewind.Server.Releases;
using Rewind.Server.Runbooks;
using Rewind.Server.Signals;
using Rewind.Storage;

namespace Rewind.Server;

/// <summary>Options of one controller process beyond the config file.</summary>
public sealed class RewindServerOptions
{
    /// <summary>Overrides <c>server.listen</c> from the config.</summary>
    public string? Listen { get; init; }

    /// <summary>The least severe log level written. Default Information.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;
}

/// <summary>Builds the one process that runs Rewind: API, monitor, decision engine and executor as hosted services.</summary>
public static class RewindServer
{
    public static async Task<WebApplication> CreateAsync(RewindConfig config, RewindServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RewindServerOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Listen ?? config.Server.Listen);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = RewindJson.Options.PropertyNamingPolicy);
        builder.Services.AddProblemDetails();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var store = StoreFactory.Open(config.Store);
        await store.MigrateAsync(cancellationToken);
        foreach (var (name, component) in config.Components)
        {
            await store.EnsureComponentAsync(name, component.Provider.Kind, cancellationToken);
        }

        builder.Services.AddSingleton(_ => store); // a factory registration, so the container disposes the store (its connection pool) at shutdown
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ConfigHolder(config));
        builder.Services.AddSingleton<ServerClock>();
        builder.Services.AddSingleton<HealthBoard>();
        builder.Services.AddSingleton<DecisionEngine>();
        builder.Services.AddSingleton<RollbackQueue>();
        builder.Services.AddSingleton<RollbackCoordinator>();
        builder.Services.AddSingleton<RollbackExecutor>();
        builder.Services.AddRewindRuntime();
        builder.Services.AddHostedService<ExecutorHostedService>();
        builder.Services.AddHostedService<MonitorHostedService>();
        builder.Services.AddHostedService<BakeHostedService>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var api = app.MapGroup("/api/v1");
        api.MapHealthEndpoints();
        api.MapComponentEndpoints();
        api.MapReleaseEndpoints();
        api.MapIncidentEndpoints();
        api.MapRollbackEndpoints();
        return app;
    }
}
