using Rewind.Core.Configuration;
using Rewind.Core.Drills;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Engine.Releases;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;
using Microsoft.Extensions.DependencyInjection;

namespace Rewind.Engine.Drills;

/// <summary>Making and clearing the fault: each as one step with a record, never through a shell.</summary>
internal sealed partial class DrillRunner
{
    private async Task<DrillFault> MakeFaultAsync(DrillRun run, DrillConfig drill, DrillJournal journal, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var at = time.GetUtcNow();
        DrillFault made;
        if (drill.Fault.Deploy is { } deploy)
        {
            made = await DeployAsync(run, deploy.Component ?? drill.Component!, deploy.Version, at, cancellationToken);
        }
        else
        {
            var outcome = await RunFaultStepAsync(run, drill.Fault, "drill fault", cancellationToken);
            made = new DrillFault(outcome.Succeeded, at, outcome.Output);
        }

        journal.Add($"fault made ({drill.Fault.Describe()})", made.Made ? "done" : "failed", time.GetElapsedTime(started), made.Outcome, at);
        return made;
    }

    private async Task ClearAsync(DrillRun run, DrillConfig drill, DrillJournal journal, CancellationToken cancellationToken)
    {
        if (drill.Clear is not { } clear)
        {
            return;
        }

        var started = time.GetTimestamp();
        var at = time.GetUtcNow();
        var outcome = await RunFaultStepAsync(run, clear, "drill clear", cancellationToken);
        journal.Add($"fault cleared ({clear.Describe()})", outcome.Succeeded ? "done" : "failed", time.GetElapsedTime(started), outcome.Output, at);
    }

    /// <summary>
    /// The designated bad release, deployed as a pipeline deploys: recorded as deploying, the provider's switch (and
    /// restart) to it, recorded again as done. The fault counts from the switch, when users start to be hurt.
    /// </summary>
    private async Task<DrillFault> DeployAsync(DrillRun run, string component, string version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var recorder = services.GetRequiredService<ReleaseRecorder>();
        var current = (await store.GetComponentAsync(component, cancellationToken))?.CurrentVersion;
        var by = $"{ReleaseRecorder.DrillRecorderPrefix}{run.Drill} ({run.Id})";
        var recorded = await recorder.RecordAsync(component, new ReleaseRecordRequest(version, Deploying: true, by) { ForDrill = true }, cancellationToken);
        if (recorded.Recorded is null)
        {
            return new DrillFault(false, at, $"{recorded.RefusedTitle}: {recorded.Refusal}", component, version);
        }

        var outputs = new List<string> { $"{component} {version} recorded as deploying (was {current ?? "nothing"})" };
        outputs.AddRange(recorded.AuditLines);
        var switched = time.GetUtcNow();
        foreach (var step in RollbackPlanner.DeploySteps(component, config.Component(component)!, version, current))
        {
            var outcome = await RunStepAsync(run, step, cancellationToken);
            outputs.Add($"{step.Kind}: {outcome.Output}");
            if (!outcome.Succeeded)
            {
                return new DrillFault(false, switched, string.Join("\n", outputs), component, version);
            }
        }

        await recorder.RecordAsync(component, new ReleaseRecordRequest(version, Deploying: false, by) { ForDrill = true }, cancellationToken);
        outputs.Add($"{component} {version} recorded as deployed");
        return new DrillFault(true, switched, string.Join("\n", outputs), component, version);
    }

    private Task<StepOutcome> RunFaultStepAsync(DrillRun run, DrillFaultConfig fault, string label, CancellationToken cancellationToken) => fault switch
    {
        { Command: { } command } => RunStepAsync(run, new CommandStep(command.Argv, command.Env, command.Dir ?? ".", command.Timeout, command.AcceptExit, Label: label) { Retry = StepRetry.Of(command.Retries, command.Backoff) }, cancellationToken),
        { Http: { } http } => RunStepAsync(run, new HttpStep(http.Method.ToUpperInvariant(), http.Url, http.Headers, http.Body, http.ExpectStatus, http.Timeout, label) { Retry = StepRetry.Of(http.Retries, http.Backoff) }, cancellationToken),
        { Stop: { } stop } => Task.FromResult(Stop(stop)),
        _ => Task.FromResult(StepOutcome.Failure($"{label}: nothing to run")),
    };

    private async Task<StepOutcome> RunStepAsync(DrillRun run, PlanStep step, CancellationToken cancellationToken)
    {
        if (Runners.FirstOrDefault(r => r.Kind == step.Kind) is not { } runner)
        {
            return StepOutcome.Failure($"no runner for step kind {step.Kind}");
        }

        var context = new StepContext(run.Id, 0, NoLedger.Instance, StepContext.ProcessEnvironment);
        try
        {
            return await StepRetries.RunAsync(step, token => runner.RunAsync(step, context, token), time, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return StepOutcome.Failure($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static StepOutcome Stop(DrillStopConfig stop)
    {
        string text;
        try
        {
            text = File.ReadAllText(stop.PidFile).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StepOutcome.Failure($"cannot read {stop.PidFile}: {ex.Message}");
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return StepOutcome.Failure($"{stop.PidFile} holds no process id ('{(text.Length > 40 ? text[..40] + "…" : text)}')");
        }

        return ProcessGroups.SignalProcess(pid, stop.Signal) is { } failure
            ? StepOutcome.Failure(failure)
            : StepOutcome.Success($"SIG{stop.Signal} sent to process {pid} (from {stop.PidFile})");
    }

    /// <summary>
    /// A release deployed by a drill is bad by design: marked bad when the drill ends, whatever happened, so a drill that
    /// failed to detect it never leaves it to bake into a known-good release. Only a release the drill recorded: one it
    /// could not deploy (the record refused) is left as it was.
    /// </summary>
    private async Task<string?> MarkDrillReleaseBadAsync(DrillFault fault, string? incident, CancellationToken cancellationToken)
    {
        if (fault is not { DeployedComponent: { } component, DeployedVersion: { } version }
            || await store.GetReleaseAsync(component, version, cancellationToken) is not { } release
            || !ReleaseRecorder.IsDrillRelease(release)
            || release.State is ReleaseState.Bad or ReleaseState.RolledBack)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var entry = incident is null ? null : new TimelineEvent(incident, now, TimelineKinds.Decision, $"drill release {version} of {component} marked bad: it is the drill's designated bad release", "drill");
        await store.SetReleaseStateAsync(component, version, ReleaseState.Bad, now, incident, entry, cancellationToken);
        return $"{component} {version} was {ReleaseStateMachine.Describe(release.State)} when the drill ended; marked bad so it never becomes known good";
    }
}
