using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Approvals;
using Rewind.Engine.Backups;
using Rewind.Engine.Hosting;
using Rewind.Engine.Incidents;
using Rewind.Engine.Metrics;
using Rewind.Engine.Notifications;
using Rewind.Engine.Policies;
using Rewind.Engine.Releases;
using Rewind.Engine.Runbooks;
using Rewind.Engine.Signals;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;

namespace Rewind.Engine;

/// <summary>
/// The one way to build Rewind's engine: everything that decides and acts, as singletons of a service collection. The
/// host adds the <see cref="IStore"/>, a <see cref="TimeProvider"/> and logging, and runs the engine's loops; a test can
/// build it from a bare <see cref="ServiceCollection"/> with a fake clock.
/// </summary>
public static class EngineServices
{
    /// <summary>
    /// Registers the engine for <paramref name="config"/>. Reads the notification channels' secrets now, so a missing one
    /// stops the start before anything is opened.
    /// </summary>
    public static IServiceCollection AddRewindEngine(this IServiceCollection services, RewindConfig config, RewindEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var secrets = NotificationSecrets.Read(config.Notifications);
        services.AddSingleton(options ?? new RewindEngineOptions());
        services.AddSingleton(new ConfigHolder(config));
        services.AddSingleton<ConfigReloader>();
        services.AddSingleton(sp => new ServerClock(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IChangeNotice, NoChangeNotice>();
        AddHealth(services);
        services.AddSingleton<ControllerMetrics>();
        services.AddSingleton<TrafficBoard>();
        services.AddSingleton<ReleaseEvidence>();
        services.AddSingleton<DecisionEngine>();
        services.AddSingleton<DecisionFacts>();
        AddRollbacks(services);
        services.AddRewindRuntime();
        services.AddSingleton<Escalator>();
        services.AddSingleton<ResolveWorkflow>();
        services.AddSingleton<IncidentLifecycleWorkflow>();
        services.AddSingleton(sp => new NotificationChannels(config.Notifications, secrets, sp.GetRequiredService<ProcessRunner>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<NotificationComposer>();
        services.AddSingleton<NotificationTail>();
        services.AddSingleton<NotificationDispatcher>();
        return services;
    }

    /// <summary>
    /// The monitor's own health, the board of probe results, the store's write health, the reserve kept on a SQLite
    /// store's disk, the writes that never stop a decision, and the controller's own faults.
    /// </summary>
    private static void AddHealth(IServiceCollection services)
    {
        services.AddSingleton(sp => new MonitorHealth(sp.GetRequiredService<RewindEngineOptions>().MonitorHealth));
        services.AddSingleton<HealthBoard>();
        services.AddSingleton<SampleRollup>();
        services.AddSingleton<SampleHistory>();
        services.AddSingleton<HostSamples>();
        services.AddSingleton<HostProbeFeed>();
        services.AddSingleton<StoreHealth>();
        services.AddSingleton(sp => new StoreReserve(sp.GetRequiredService<RewindEngineOptions>().StoreFile));
        services.AddSingleton<StoreWrites>();
        services.AddSingleton<SampleWriter>();
        services.AddSingleton<ControllerFaults>();
        services.AddSingleton<ExecutorCrashes>();
    }

    /// <summary>The coordinator that plans and records rollbacks, the executor that runs them, and the engine's own step runners.</summary>
    private static void AddRollbacks(IServiceCollection services)
    {
        services.AddSingleton<RollbackQueue>();
        services.AddSingleton<RollbackAborts>();
        services.AddSingleton<StepLeftovers>();
        services.AddSingleton<GroupCoordinator>();
        services.AddSingleton<IStepRunner, NotifyStepRunner>();
        services.AddSingleton<IStepRunner>(sp => new ParallelStepRunner(sp, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStepRunner, PolicyHoldStepRunner>();
        services.AddSingleton<RollbackCoordinator>();
        services.AddSingleton<RollbackTraces>();
        services.AddSingleton<RestorePoints>();
        services.AddSingleton<BackupSchedule>();
        services.AddSingleton<IStepRunner>(sp => new SnapshotStepRunner(() => sp.GetRequiredService<ConfigHolder>().Current));
        services.AddSingleton<IStepRunner>(sp => new DatabaseRestoreStepRunner(
            () => sp.GetRequiredService<ConfigHolder>().Current, sp.GetRequiredService<RewindEngineOptions>().ConfigPath, sp.GetRequiredService<ProcessRunner>(), "rewind serve --config"));
        services.AddSingleton<Agents.AgentWork>();
        services.AddSingleton<Agents.HostAttempts>();
        services.AddSingleton<Agents.HostJobs>();
        services.AddSingleton<ReleaseFileCopies>();
        services.AddSingleton<ReleaseRecorder>();
        services.AddSingleton<IStepRunner, Agents.HostStepRunner>();
        services.AddSingleton<IStepRunner, Agents.FleetStepRunner>();
        services.AddSingleton<Agents.AgentReports>();
        services.AddSingleton<Agents.BreakGlass>();
        services.AddSingleton<Agents.AgentLivenessWatch>();
        services.AddSingleton<RollbackExecutor>();
        services.AddSingleton<AbortWorkflow>();
        services.AddSingleton<GateDecisions>();
        services.AddSingleton<ApprovalWorkflow>();
        services.AddSingleton<ApprovalTimeouts>();
        services.AddSingleton<Drills.DrillRunner>();
        services.AddSingleton<Drills.DrillQueue>();
    }
}
