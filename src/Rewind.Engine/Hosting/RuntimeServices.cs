using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rewind.Engine.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;
using Rewind.Runtime.Signals;

namespace Rewind.Engine.Hosting;

/// <summary>Registers the I/O edge: the probe, the metrics scraper, the PromQL client, the process runner and one runner per plan step kind.</summary>
internal static class RuntimeServices
{
    public static IServiceCollection AddRewindRuntime(this IServiceCollection services)
    {
        services.AddSingleton(sp => new HttpProbe(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TcpProbe(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CommandProbe(sp.GetRequiredService<ProcessRunner>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PostgresProbe(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IProbe, Prober>();
        services.AddSingleton(sp => new MetricsScraper(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PromQlClient(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ProcessRunner(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ProcessRunner>>()));
        services.AddSingleton<IStepRunner, SwitchStepRunner>();
        services.AddSingleton<IStepRunner, FilesStepRunner>();
        services.AddSingleton<IStepRunner>(sp => new RestartStepRunner(sp.GetRequiredService<ProcessRunner>()));
        services.AddSingleton<IStepRunner>(sp => new CommandStepRunner(sp.GetRequiredService<ProcessRunner>()));
        services.AddSingleton<IStepRunner>(sp => new BatchStepRunner(sp.GetRequiredService<ProcessRunner>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStepRunner>(sp => new HttpStepRunner(StepHttp.Client, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStepRunner>(sp => new TrafficStepRunner(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TrafficStepRunner>>()));
        services.AddSingleton<IStepRunner>(sp => new MaintenanceStepRunner(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStepRunner>(sp =>
        {
            var config = sp.GetRequiredService<ConfigHolder>();
            return new WaitHealthyStepRunner(
                new Signals.HostProbeSamples(sp.GetRequiredService<IProbe>(), sp.GetRequiredService<Core.Storage.IStore>(), sp.GetRequiredService<TimeProvider>()),
                component => config.Component(component)?.Probes,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<WaitHealthyStepRunner>>());
        });
        services.AddSingleton<IStepRunner, ApprovalStepRunner>();
        return services;
    }
}

/// <summary>
/// The HTTP client of plan steps: one per process, no redirects followed (a step's request goes where the plan says),
/// each call a span of the step's trace when traces are exported.
/// </summary>
internal static class StepHttp
{
    public static HttpClient Client { get; } = new(new Runtime.Tracing.TracedHttpHandler(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })) { Timeout = Timeout.InfiniteTimeSpan };
}
