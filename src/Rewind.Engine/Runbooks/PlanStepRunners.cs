using Microsoft.Extensions.DependencyInjection;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Runbooks;

namespace Rewind.Engine.Runbooks;

/// <summary>Runs <see cref="NotifyStep"/>: a <c>note</c> entry on the rollback's incident with the <c>notice</c> milestone; the notification tail sends it to the channels.</summary>
internal sealed class NotifyStepRunner(IStore store, TimeProvider time) : IStepRunner
{
    public string Kind => NotifyStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        Task.FromResult(StepOutcome.Failure("a notify step runs only inside a rollback, which names its incident"));

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = planStep as NotifyStep ?? throw new ArgumentException($"a notify runner cannot run a {planStep.Kind} step", nameof(planStep));
        if ((await store.GetRollbackAsync(context.RollbackId, cancellationToken))?.IncidentId is not { } incident)
        {
            return StepOutcome.Success("no incident to tell people about; nothing sent");
        }

        // Once per rollback and step: a resumed rollback does not tell people twice.
        var marker = $"[{context.RollbackId} step {context.StepIndex + 1}]";
        if ((await store.GetTimelineAsync(incident, cancellationToken)).Any(e => e.Milestone == TimelineMilestones.Notice && e.Message.EndsWith(marker, StringComparison.Ordinal)))
        {
            return StepOutcome.Success($"told already: {step.Message}");
        }

        await store.AppendTimelineAsync(new TimelineEvent(incident, time.GetUtcNow(), TimelineKinds.Note, $"{step.Message} {marker}", "executor", TimelineMilestones.Notice), cancellationToken);
        return StepOutcome.Success($"told the channels taking notice: {step.Message}");
    }
}

/// <summary>Runs <see cref="ParallelStep"/>: every member step at once with its own runner; succeeds when all of them did.</summary>
internal sealed class ParallelStepRunner(IServiceProvider services, TimeProvider time) : IStepRunner
{
    public string Kind => ParallelStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        RunAsync(planStep, StepContext.Detached, cancellationToken);

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        var group = planStep as ParallelStep ?? throw new ArgumentException($"a parallel runner cannot run a {planStep.Kind} step", nameof(planStep));
        var runners = services.GetServices<IStepRunner>().Where(r => r.Kind != Kind).ToDictionary(r => r.Kind, StringComparer.Ordinal);
        var outcomes = await Task.WhenAll(group.Steps.Select(async step =>
        {
            if (!runners.TryGetValue(step.Kind, out var runner))
            {
                return StepOutcome.Failure($"no runner for step kind {step.Kind}");
            }

            try
            {
                return await StepRetries.RunAsync(step, token => runner.RunAsync(step, context, token), time, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return StepOutcome.Failure($"{ex.GetType().Name}: {ex.Message}");
            }
        }));
        var failed = outcomes.Count(o => !o.Succeeded);
        var lines = outcomes.Select((o, i) => $"({i + 1}) {group.Steps[i].Kind} {(o.Succeeded ? "succeeded" : "failed")}: {o.Output}");
        return new StepOutcome(failed == 0, $"{outcomes.Length - failed} of {outcomes.Length} succeeded\n" + string.Join("\n", lines));
    }
}

/// <summary>Runs <see cref="PolicyHoldStep"/> against the decision engine's live policy states.</summary>
internal sealed class PolicyHoldStepRunner(Policies.DecisionEngine engine, Hosting.ConfigHolder config, TimeProvider time) : IStepRunner
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public string Kind => PolicyHoldStep.KindName;

    public async Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default)
    {
        var step = planStep as PolicyHoldStep ?? throw new ArgumentException($"a policies-hold runner cannot run a {planStep.Kind} step", nameof(planStep));
        var policies = config.Component(step.Component)?.Policies.Where(p => !p.Value.Shadow).Select(p => p.Key).ToList() ?? [];
        if (policies.Count == 0)
        {
            return StepOutcome.Success($"{step.Component} has no acting policy; nothing to hold");
        }

        var started = time.GetTimestamp();
        long? cleanSince = null;
        while (true)
        {
            var firing = policies.Where(p => engine.StateOf(step.Component, p).Firing).ToList();
            if (firing.Count == 0)
            {
                cleanSince ??= time.GetTimestamp();
                if (time.GetElapsedTime(cleanSince.Value) >= step.HoldFor)
                {
                    return StepOutcome.Success($"every policy of {step.Component} ({string.Join(", ", policies)}) clean for {Durations.Format(step.HoldFor)}");
                }
            }
            else if (cleanSince is not null)
            {
                return StepOutcome.Failure($"policy {string.Join(", ", firing)} fired again {Durations.Format(time.GetElapsedTime(cleanSince.Value))} into the hold: the rollback did not fix what hurts users");
            }
            else if (time.GetElapsedTime(started) >= step.Timeout)
            {
                return StepOutcome.Failure($"policy {string.Join(", ", firing)} still firing {Durations.Format(step.Timeout)} after the rollback: the rollback did not fix what hurts users");
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }
}
