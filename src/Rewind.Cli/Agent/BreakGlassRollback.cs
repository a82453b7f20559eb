using Rewind.Cli.Commands;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Runbooks;

namespace Rewind.Cli.Agent;

/// <summary>
/// <c>rewind agent rollback COMPONENT</c>: on a host whose controller cannot be reached, puts the component back on the
/// last known good its agent last heard of, with the host's steps the controller planned for it (the switch, then the
/// restart), journaled like any step. The host's agent reports it once a controller answers.
/// </summary>
internal static class BreakGlassRollback
{
    public static async Task<int> RunAsync(string journalDirectory, string component, bool confirmed, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var journal = new AgentJournal(journalDirectory);
        var known = journal.KnownGood();
        if (known?.Components.FirstOrDefault(c => c.Component == component) is not { } target)
        {
            await error.WriteLineAsync(known is null
                ? $"error: the journal {journalDirectory} holds no last known good: this host's agent never reached a controller (is --journal the agent's?)"
                : $"error: {component} is not a component on {known.Host} as of {Timestamps.Format(known.At)}; on this host: {(known.Components.Count == 0 ? "none with a last known good" : string.Join(", ", known.Components.Select(c => c.Component)))}");
            return ExitCodes.Invalid;
        }

        var age = time.GetUtcNow() - known.At;
        await output.WriteLineAsync($"{component} on {known.Host}: {target.FromVersion ?? "unknown"} -> {target.ToVersion}, the last known good as the controller said {Math.Round(age.TotalSeconds):0} s ago ({Timestamps.Format(known.At)})");
        await output.WriteLineAsync($"  {target.Description}");
        if (!confirmed)
        {
            await output.WriteLineAsync("nothing was changed: add --yes to run it");
            return ExitCodes.Invalid;
        }

        var steps = PlanStepJson.Deserialize(target.Plan.GetRawText()) is SequenceStep sequence ? sequence.Steps : [];
        var runBy = Environment.GetEnvironmentVariable("SUDO_USER") is { Length: > 0 } sudo ? $"{sudo} (sudo as {Environment.UserName})" : Environment.UserName;
        var ranAt = time.GetUtcNow();
        var id = $"bg-{component}-{ranAt:yyyyMMddTHHmmssfff}";
        var runner = new AgentSteps(time);
        var said = new List<string>();
        var succeeded = true;
        foreach (var step in steps)
        {
            var outcome = await runner.RunAsync(step, new StepContext(id, 0, NoLedger.Instance, StepContext.ProcessEnvironment), cancellationToken);
            said.Add(outcome.Output);
            await output.WriteLineAsync($"{(outcome.Succeeded ? "ok" : "FAILED")}: {outcome.Output}");
            if (!outcome.Succeeded)
            {
                succeeded = false;
                break;
            }
        }

        journal.SaveBreakGlass(new BreakGlassEntry(id, component, target.FromVersion, target.ToVersion, runBy, succeeded, string.Join("\n", said), ranAt));
        await output.WriteLineAsync($"break-glass rollback {id} {(succeeded ? "succeeded" : "failed")}, run by {runBy}; the host's agent reports it to the controller when one answers");
        return succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
