using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;

namespace Rewind.Cli.Agent;

/// <summary>The step runners of an agent: the controller's own, for the steps a host runs (switch, restart, files restore, command).</summary>
internal sealed class AgentSteps(TimeProvider time)
{
    private readonly Dictionary<string, IStepRunner> _runners = Runners(time);

    /// <summary>Runs one step as the controller would, retries included; a failure is an outcome, never an exception.</summary>
    public async Task<StepOutcome> RunAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        if (!_runners.TryGetValue(step.Kind, out var runner))
        {
            return StepOutcome.Failure($"this agent runs switch, restart, files and command steps, not {step.Kind}");
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

    private static Dictionary<string, IStepRunner> Runners(TimeProvider time)
    {
        var processes = new ProcessRunner(time);
        IStepRunner[] runners = [new SwitchStepRunner(), new RestartStepRunner(processes), new FilesStepRunner(time), new CommandStepRunner(processes)];
        return runners.ToDictionary(r => r.Kind, StringComparer.Ordinal);
    }
}
