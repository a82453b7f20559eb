using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;

namespace Rewind.Cli.Agent;

/// <summary>
/// The step runners of an agent: the controller's own, for the steps a host runs (switch, restart, files restore,
/// command; and, with the config file of the clusters on the host, their snapshots, restores and backup jobs).
/// </summary>
internal sealed class AgentSteps(TimeProvider time, RewindConfig? config = null, string? configPath = null)
{
    private readonly Dictionary<string, IStepRunner> _runners = Runners(time, config, configPath);

    /// <summary>Runs one step as the controller would, retries included; a failure is an outcome, never an exception.</summary>
    public async Task<StepOutcome> RunAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        if (!_runners.TryGetValue(step.Kind, out var runner))
        {
            return StepOutcome.Failure($"this agent runs switch, restart, files, files-keep, command, snapshot, restore and backup-job steps, not {step.Kind}");
        }

        if (config is null && step is SnapshotStep or DatabaseRestoreStep or BackupJobStep)
        {
            return StepOutcome.Failure($"this agent was started without the config file of the clusters on its host: start it with --config FILE (the file rewind wal push reads) to run '{step.Describe()}'");
        }

        try
        {
            return await StepRetries.RunAsync(step, token => runner.RunAsync(step, context, token), time, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return StepOutcome.Failure($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>What was read back when the step's effect is in place; null when it is not, or cannot be read.</summary>
    public string? InPlace(PlanStep step) =>
        _runners.GetValueOrDefault(step.Kind) is IStepStateReader reader ? reader.InPlace(step) : null;

    private static Dictionary<string, IStepRunner> Runners(TimeProvider time, RewindConfig? config, string? configPath)
    {
        var processes = new ProcessRunner(time);
        var clusters = () => config ?? new RewindConfig();
        IStepRunner[] runners = [new SwitchStepRunner(), new RestartStepRunner(processes), new FilesStepRunner(time), new FilesKeepStepRunner(time), new CommandStepRunner(processes),
            new SnapshotStepRunner(clusters), new DatabaseRestoreStepRunner(clusters, configPath, processes, "rewind agent --config"), new BackupJobStepRunner(clusters, configPath)];
        return runners.ToDictionary(r => r.Kind, StringComparer.Ordinal);
    }
}
