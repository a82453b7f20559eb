using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Runtime.Runbooks;

namespace Rewind.Engine.Runbooks;

/// <summary>
/// Runs one rollback, write-ahead: each step is recorded as started before it acts and as finished after. A rollback
/// interrupted at any instant resumes at its first step not recorded as finished; steps are idempotent, so a step that
/// acted but was not recorded acts again harmlessly (a switch already on its target does nothing). Process groups a killed
/// controller left running for the step are ended before it runs again (<see cref="StepLeftovers"/>). The steps were
/// fixed when the rollback was created; what they read from the config while they run (the probes to wait for, the
/// policies that must hold, a database's settings) is the config in force when this run started, whatever a reload
/// does meanwhile (<see cref="ConfigHolder.Pin"/>).
/// </summary>
internal sealed class RollbackExecutor(IStore store, ConfigHolder config, IEnumerable<IStepRunner> runners, RollbackAborts aborts, StepLeftovers leftovers, RollbackQueue queue, Backups.RestorePoints restorePoints, ControllerMetrics metrics, RollbackTraces traces, TimeProvider time, ILogger<RollbackExecutor> logger)
{
    private readonly Dictionary<string, IStepRunner> _runners = runners.ToDictionary(r => r.Kind, StringComparer.Ordinal);

    public async Task RunAsync(string rollbackId, CancellationToken cancellationToken = default)
    {
        var rollback = await store.GetRollbackAsync(rollbackId, cancellationToken);
        if (rollback is not { IsActive: true } || rollback.Status == RollbackStatus.Awaiting)
        {
            return; // finished, or still waiting for approvals: the approval starts it
        }

        using var scope = EngineLog.RollbackScope(logger, rollback.Id, rollback.IncidentId ?? "-");
        using var pinned = config.Pin(); // a reload of the config meanwhile never changes what this run's steps read
        if (rollback.WaitsFor is { } before && !await ReadyAfterAsync(rollback, before, cancellationToken))
        {
            return;
        }

        using var run = traces.StartRun(rollback); // current from here on: the steps' spans are its children, the log lines carry its trace id
        using var abort = aborts.Register(rollback.Id);
        using var deadline = PlanDeadline(rollback);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abort.Token, deadline.Token);
        if (rollback.AbortRequested)
        {
            // asked before this controller got to it (perhaps before a restart); a step left running by a stop was interrupted
            await AbortAsync(rollback, rollback.NextStep, cancellationToken, interrupted: rollback.NextStep?.Status == StepStatus.Running);
            return;
        }

        if (rollback.Status == RollbackStatus.Pending)
        {
            var started = Entry(rollback, TimelineKinds.Rollback, $"{rollback.Id} started: {rollback.Component} {rollback.FromVersion ?? "unknown"} -> {rollback.ToVersion}, {rollback.Steps.Count} step(s)", TimelineMilestones.RollbackStarted);
            if (!await store.MarkRollbackRunningAsync(rollback.Id, time.GetUtcNow(), started, cancellationToken))
            {
                return; // no longer pending: cancelled meanwhile
            }

            EngineLog.RollbackStarted(logger, rollback.Id, rollback.Component, rollback.FromVersion, rollback.ToVersion);
            if (restorePoints.Any)
            {
                // the databases as they were just before this rollback stay reachable by a point-in-time restore
                foreach (var line in await restorePoints.CreateAsync(Core.Backups.RestorePointNames.BeforeRollback(rollback.Id), cancellationToken))
                {
                    await Timeline(rollback, TimelineKinds.Note, line, cancellationToken);
                }
            }
        }
        else
        {
            EngineLog.RollbackResumed(logger, rollback.Id);
            await Timeline(rollback, TimelineKinds.Rollback, $"{rollback.Id} resumed from its stored record at step {(rollback.NextStep?.Index ?? 0) + 1} of {rollback.Steps.Count}; finished steps are not repeated", cancellationToken);
        }

        foreach (var step in rollback.Steps.OrderBy(s => s.Index).Where(s => s.Status != StepStatus.Succeeded))
        {
            if (!await RunRecordedAsync(rollback, step, abort, deadline.Token, running.Token, cancellationToken))
            {
                return;
            }
        }

        await SucceedAsync(rollback, cancellationToken);
        await ReleaseDependentsAsync(rollback.Id);
    }

    /// <summary>
    /// A group member runs only after the member before it succeeded: false while that one is active (it is enqueued
    /// again when that one finishes), and false after cancelling this one, untouched, when that one did not succeed.
    /// </summary>
    private async Task<bool> ReadyAfterAsync(Rollback rollback, string before, CancellationToken cancellationToken)
    {
        var prior = await store.GetRollbackAsync(before, cancellationToken);
        if (prior is { IsActive: true })
        {
            return false;
        }

        if (prior is { Status: RollbackStatus.Succeeded })
        {
            return true;
        }

        var error = $"not run: {before} ({prior?.Component ?? "unknown"}), before it in group {rollback.Group}, ended {prior?.Status.ToString().ToLowerInvariant() ?? "missing"}; {rollback.Component} was not touched";
        if (await store.FinishRollbackAsync(new RollbackFinish(rollback.Id, RollbackStatus.Cancelled, time.GetUtcNow(), error) { Entries = Entries(Entry(rollback, TimelineKinds.Escalation, $"{rollback.Id} {error}")) }, cancellationToken))
        {
            Finished(rollback.Id, "cancelled");
        }

        await ReleaseDependentsAsync(rollback.Id);
        return false;
    }

    /// <summary>Hands the members waiting for this rollback to the executor: they run, or cancel themselves, now that it is finished.</summary>
    private async Task ReleaseDependentsAsync(string id)
    {
        foreach (var next in await store.GetRollbacksWaitingForAsync(id, CancellationToken.None))
        {
            queue.Enqueue(next);
        }
    }

    /// <summary>One step, written ahead and after; false when the rollback stops here (failed, aborted, or paused by shutdown).</summary>
    private async Task<bool> RunRecordedAsync(Rollback rollback, RollbackStep step, RollbackAborts.Registration abort, CancellationToken deadline, CancellationToken running, CancellationToken cancellationToken)
    {
        if (await StoppedAsync(rollback, step, abort.Fired || (await store.GetRollbackAsync(rollback.Id, cancellationToken))?.AbortRequested == true, deadline.IsCancellationRequested, interrupted: false, cancellationToken))
        {
            return false;
        }

        if (await leftovers.EndAsync(rollback, step, "before the step runs again", cancellationToken) is { } blocked)
        {
            return await NotRunAgainAsync(rollback, step, blocked, cancellationToken);
        }

        if (step.Status == StepStatus.Running && _runners.GetValueOrDefault(step.Plan.Kind) is IStepStateReader reader && reader.InPlace(step.Plan) is { } inPlace)
        {
            // interrupted after it started (a stop, a crash, another replica taking over), and its effect is there
            metrics.StepsFoundInPlace.Inc(step.Plan.Kind);
            return await FinishAsync(rollback, step, new StepOutcome(true, $"found in place after an interruption, not run again: {inPlace}"), cancellationToken);
        }

        await store.MarkStepStartedAsync(rollback.Id, step.Index, time.GetUtcNow(), cancellationToken);
        StepOutcome outcome;
        var started = time.GetTimestamp();
        try
        {
            // Every secret the rollback's plan names, for every step: a command may print one that another step filled in.
            var secrets = SecretRedactor.For(rollback.Steps.Select(s => s.Plan), StepContext.ProcessEnvironment);
            using (var span = RollbackTraces.StartStep(rollback.Id, step))
            {
                outcome = await RunStepAsync(step.Plan, new StepContext(rollback.Id, step.Index, store, StepContext.ProcessEnvironment, secrets) { Processes = store }, running);
                RollbackTraces.StepEnded(span, outcome);
            }

            outcome = outcome with { Output = secrets.Redact(outcome.Output) }; // the one way out of a step: to the store, the log, the timeline and the channels
            metrics.StepDuration.Observe(time.GetElapsedTime(started).TotalSeconds, step.Plan.Kind);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            EngineLog.RollbackPaused(logger, rollback.Id);
            return false; // the step stays "running" in the store; the next controller resumes it
        }
        catch (OperationCanceledException) when (abort.Fired || deadline.IsCancellationRequested)
        {
            await StoppedAsync(rollback, step, abort.Fired, deadline.IsCancellationRequested, interrupted: true, cancellationToken);
            return false;
        }

        // a step may give up on the interruption with an outcome of its own
        if (await StoppedAsync(rollback, step, abort.Fired, !outcome.Succeeded && deadline.IsCancellationRequested, interrupted: true, cancellationToken))
        {
            return false;
        }

        return await FinishAsync(rollback, step, outcome, cancellationToken);
    }

    /// <summary>Records the step's outcome; false when it failed, and the rollback with it.</summary>
    private async Task<bool> FinishAsync(Rollback rollback, RollbackStep step, StepOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Succeeded && step.Plan.IsSwitch)
        {
            // Recorded before the step is marked finished: a crash in between re-runs the (idempotent) switch and
            // records the version again, so the store never disagrees with the symlink.
            await store.SetCurrentReleaseAsync(rollback.Component, rollback.ToVersion, time.GetUtcNow(), cancellationToken);
        }

        var status = outcome.Succeeded ? StepStatus.Succeeded : StepStatus.Failed;
        var finished = Entry(rollback, TimelineKinds.Step, $"{rollback.Id} step {step.Index + 1}/{rollback.Steps.Count} {step.Plan.Kind} {status.ToString().ToLowerInvariant()}: {outcome.Output}");
        await store.MarkStepFinishedAsync(rollback.Id, step.Index, status, time.GetUtcNow(), outcome.Output, finished, cancellationToken);
        EngineLog.StepFinished(logger, step.Index + 1, step.Plan.Kind, status.ToString().ToLowerInvariant(), outcome.Output);
        if (!outcome.Succeeded)
        {
            await FailAsync(rollback, $"step {step.Index + 1} ({step.Plan.Kind}) failed: {outcome.Output}", cancellationToken);
            await ReleaseDependentsAsync(rollback.Id);
            return false;
        }

        return true;
    }

    /// <summary>A process group of the step's last run outlived SIGKILL: running the step over it could overlap, so the rollback fails and pages.</summary>
    private async Task<bool> NotRunAgainAsync(Rollback rollback, RollbackStep step, string why, CancellationToken cancellationToken)
    {
        await store.MarkStepFinishedAsync(rollback.Id, step.Index, StepStatus.Failed, time.GetUtcNow(), why, cancellationToken);
        await FailAsync(rollback, $"step {step.Index + 1} ({step.Plan.Kind}) not run again: {why}", cancellationToken);
        await ReleaseDependentsAsync(rollback.Id);
        return false;
    }

    /// <summary>Ends the rollback here when a person aborted it or the plan's time ran out; false when neither happened.</summary>
    private async Task<bool> StoppedAsync(Rollback rollback, RollbackStep step, bool aborted, bool timedOut, bool interrupted, CancellationToken cancellationToken)
    {
        if (aborted)
        {
            await AbortAsync(rollback, step, cancellationToken, interrupted);
            return true;
        }

        if (timedOut)
        {
            await TimedOutAsync(rollback, step, interrupted, cancellationToken);
            return true;
        }

        return false;
    }

    private async Task<StepOutcome> RunStepAsync(PlanStep plan, StepContext context, CancellationToken cancellationToken)
    {
        if (!_runners.TryGetValue(plan.Kind, out var runner))
        {
            return new StepOutcome(false, $"no runner for step kind {plan.Kind}");
        }

        try
        {
            return await StepRetries.RunAsync(plan, token => runner.RunAsync(plan, context, token), time, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new StepOutcome(false, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task SucceedAsync(Rollback rollback, CancellationToken cancellationToken)
    {
        // The release left, the rollback, its milestone and the incident's resolution: one transaction, all or none.
        var now = time.GetUtcNow(); // the rollback's end is the incident's resolution: one moment
        var finish = new RollbackFinish(rollback.Id, RollbackStatus.Succeeded, now, null)
        {
            LeftRelease = new ReleaseMove(ReleaseState.RolledBack),
            Entries = Entries(Entry(rollback, TimelineKinds.Rollback, $"{rollback.Id} succeeded: {rollback.Component} is on {rollback.ToVersion} and healthy; {rollback.FromVersion ?? "the release left"} is rolled back", TimelineMilestones.RollbackFinished, now)),
            Resolution = Entry(rollback, TimelineKinds.Resolved, $"{rollback.Component} is healthy on {rollback.ToVersion} after {rollback.Id}; incident resolved", at: now),
        };
        if (await store.FinishRollbackAsync(finish, cancellationToken))
        {
            Finished(rollback.Id, "succeeded");
            metrics.Rollbacks.Inc(rollback.Component, "succeeded");
        }
    }

    /// <summary>
    /// Stops the rollback a person aborted: the interrupted step is recorded as such, the rollback becomes cancelled
    /// (freeing the lease), and the incident pages a human, saying exactly where the component was left.
    /// </summary>
    private async Task AbortAsync(Rollback rollback, RollbackStep? at, CancellationToken cancellationToken, bool interrupted = false)
    {
        if (at is not null)
        {
            await leftovers.EndAsync(rollback, at, "before the rollback is aborted", cancellationToken);
        }

        var now = time.GetUtcNow();
        var asked = await store.GetRollbackAsync(rollback.Id, cancellationToken) ?? rollback;
        var who = $"aborted by {asked.AbortRequestedBy ?? "a person"}: {asked.AbortReason ?? "no reason given"}";
        if (at is not null && interrupted)
        {
            await store.MarkStepFinishedAsync(rollback.Id, at.Index, StepStatus.Failed, now, $"interrupted: {who}", cancellationToken);
        }

        var where = at is null ? "after its last step" : $"{(interrupted ? "during" : "before")} step {at.Index + 1}/{rollback.Steps.Count} ({at.Plan.Kind})";
        var error = $"{who}; stopped {where}; steps done: {StepsDone(asked)}";
        var finish = new RollbackFinish(rollback.Id, RollbackStatus.Cancelled, now, error)
        {
            LeftRelease = LeftReleaseBad(rollback, "aborted"),
            Entries = Entries(Entry(rollback, TimelineKinds.Escalation, $"{rollback.Id} {error}. {rollback.Component} may be between {rollback.FromVersion ?? "its release"} and {rollback.ToVersion}: a person decides what comes next (`rewind incident show`, `rewind rollback {rollback.Component} --dry-run`)")),
        };
        if (await store.FinishRollbackAsync(finish, cancellationToken))
        {
            Finished(rollback.Id, "aborted");
            metrics.Rollbacks.Inc(rollback.Component, "aborted");
        }

        await ReleaseDependentsAsync(rollback.Id);
    }

    /// <summary>
    /// A source cancelled when the plan's time is up, counted from when the rollback first started, so a controller that
    /// resumes it keeps the same deadline. Never cancelled without a <c>plan-timeout</c>.
    /// </summary>
    private CancellationTokenSource PlanDeadline(Rollback rollback)
    {
        if (rollback.PlanTimeout is not { } limit)
        {
            return new CancellationTokenSource();
        }

        var left = (rollback.StartedAt ?? time.GetUtcNow()) + limit - time.GetUtcNow();
        return new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, time);
    }

    /// <summary>The plan ran out of time: the interrupted step is recorded as such, and the rollback fails and pages.</summary>
    private async Task TimedOutAsync(Rollback rollback, RollbackStep step, bool interrupted, CancellationToken cancellationToken)
    {
        var limit = Durations.Format(rollback.PlanTimeout ?? TimeSpan.Zero);
        await leftovers.EndAsync(rollback, step, "before the rollback fails on its plan timeout", cancellationToken);
        if (interrupted)
        {
            await store.MarkStepFinishedAsync(rollback.Id, step.Index, StepStatus.Failed, time.GetUtcNow(), $"interrupted: the plan's time ({limit}) ran out", cancellationToken);
        }

        var stored = await store.GetRollbackAsync(rollback.Id, cancellationToken) ?? rollback;
        await FailAsync(rollback, $"plan timeout: {limit} since it started ran out {(interrupted ? "during" : "before")} step {step.Index + 1}/{rollback.Steps.Count} ({step.Plan.Kind}); steps done: {StepsDone(stored)}", cancellationToken);
        await ReleaseDependentsAsync(rollback.Id);
    }

    /// <summary>The steps recorded as succeeded, e.g. <c>1 switch, 2 restart</c>, or <c>none</c>: where a stopped rollback left the component.</summary>
    private static string StepsDone(Rollback rollback)
    {
        var done = rollback.Steps.Where(s => s.Status == StepStatus.Succeeded).OrderBy(s => s.Index).Select(s => $"{s.Index + 1} {s.Plan.Kind}").ToList();
        return done.Count == 0 ? "none" : string.Join(", ", done);
    }

    private async Task FailAsync(Rollback rollback, string error, CancellationToken cancellationToken)
    {
        var finish = new RollbackFinish(rollback.Id, RollbackStatus.Failed, time.GetUtcNow(), error)
        {
            LeftRelease = LeftReleaseBad(rollback, "failed"),
            Entries = Entries(Entry(rollback, TimelineKinds.Escalation, $"{rollback.Id} failed: {error}; paging a human", TimelineMilestones.RollbackFailed)),
        };
        if (await store.FinishRollbackAsync(finish, cancellationToken))
        {
            Finished(rollback.Id, "failed");
            metrics.Rollbacks.Inc(rollback.Component, "failed");
        }
    }

    /// <summary>
    /// A rollback that failed or was aborted still says the release it was leaving hurt: that release is marked bad (the
    /// store skips one already bad or rolled back), so it is never the next rollback's target, never becomes stable by
    /// baking, and <c>release check</c> refuses it.
    /// </summary>
    private ReleaseMove LeftReleaseBad(Rollback rollback, string how) =>
        new(ReleaseState.Bad, Entry(rollback, TimelineKinds.Decision, $"{rollback.FromVersion} is marked bad: {rollback.Id} {how} while leaving it, so it is no rollback target and is not deployed again"));

    /// <summary>The rollback's end in the log and on its trace (the run is the current span here, its steps' spans ended).</summary>
    private void Finished(string rollbackId, string outcome)
    {
        EngineLog.RollbackFinished(logger, rollbackId, outcome);
        traces.Finished(System.Diagnostics.Activity.Current, rollbackId, outcome);
    }

    private static IReadOnlyList<TimelineEvent> Entries(TimelineEvent? entry) => entry is null ? [] : [entry];

    /// <summary>The entry for the rollback's incident, stamped <paramref name="at"/> (default now); null for a rollback without an incident.</summary>
    private TimelineEvent? Entry(Rollback rollback, string kind, string message, string? milestone = null, DateTimeOffset? at = null) =>
        rollback.IncidentId is { } id ? new TimelineEvent(id, at ?? time.GetUtcNow(), kind, message, "executor", milestone) : null;

    private Task Timeline(Rollback rollback, string kind, string message, CancellationToken cancellationToken) =>
        Entry(rollback, kind, message) is { } entry ? store.AppendTimelineAsync(entry, cancellationToken) : Task.CompletedTask;
}
