using System.Globalization;
using Rewind.Core.Agents;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Runbooks;

namespace Rewind.Engine.Agents;

/// <summary>
/// Runs <see cref="FleetStep"/>: each host's share handed to its agent as one attempt (<see cref="HostAttempts"/>), at
/// most <see cref="FleetStep.Concurrency"/> at once, each host a member of the step's ledger (pending, running,
/// succeeded, failed, unreachable). A resumed step starts nothing twice: hosts recorded as finished are kept, hosts
/// recorded as running wait for the same attempt. Once more hosts failed than the budget allows, no further host starts.
/// A host skipped as unreachable stays on its release and pages.
/// </summary>
internal sealed class FleetStepRunner(HostAttempts attempts, IStore store, TimeProvider time) : IStepRunner
{
    public string Kind => FleetStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        Task.FromResult(StepOutcome.Failure("a fleet step runs only within a rollback"));

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fleet = (FleetStep)planStep;
        var ledger = context.Ledger;
        await ledger.AddMembersAsync(context.RollbackId, context.StepIndex, [.. fleet.Hosts.Select(h => h.Host)], cancellationToken);
        var shares = fleet.Hosts.ToDictionary(h => h.Host, h => h.OnHost, StringComparer.Ordinal);
        var members = await ledger.GetMembersAsync(context.RollbackId, context.StepIndex, cancellationToken);
        var failed = members.Count(m => CountsAgainstBudget(m.Status, fleet.Then));
        var left = members.Where(m => m.Status is MemberStatus.Pending or MemberStatus.Running).Select(m => m.Member).ToList();
        await Parallel.ForEachAsync(
            left,
            new ParallelOptions { MaxDegreeOfParallelism = fleet.Concurrency, CancellationToken = cancellationToken },
            async (host, token) =>
            {
                if (Volatile.Read(ref failed) > fleet.MaxFailed)
                {
                    return; // the failure budget is spent: the host stays pending, untouched
                }

                await ledger.MarkMemberStartedAsync(context.RollbackId, context.StepIndex, host, time.GetUtcNow(), token);
                var attempt = await attempts.RunAsync(HostAttempt.IdOf(context.RollbackId, context.StepIndex, host), context.RollbackId, context.StepIndex, host, shares[host], fleet.UnreachableWait, token);
                var status = attempt.Status switch
                {
                    HostAttemptStatus.Succeeded => MemberStatus.Succeeded,
                    HostAttemptStatus.Unreachable => MemberStatus.Unreachable,
                    _ => MemberStatus.Failed,
                };
                await ledger.MarkMemberFinishedAsync(context.RollbackId, context.StepIndex, host, status, time.GetUtcNow(), HostAttempts.Outcome(attempt).Output, token);
                if (CountsAgainstBudget(status, fleet.Then))
                {
                    Interlocked.Increment(ref failed);
                }
                else if (status == MemberStatus.Unreachable)
                {
                    await SkippedAsync(context, host, attempt, token);
                }
            });
        return Summary(fleet, await ledger.GetMembersAsync(context.RollbackId, context.StepIndex, cancellationToken));
    }

    private static bool CountsAgainstBudget(MemberStatus status, UnreachableAction then) =>
        status == MemberStatus.Failed || (status == MemberStatus.Unreachable && then == UnreachableAction.Fail);

    /// <summary>The step's outcome from its ledger: which hosts are done, which failed and why, which were skipped or never started.</summary>
    private static StepOutcome Summary(FleetStep fleet, IReadOnlyList<MemberResult> members)
    {
        string Names(MemberStatus status) => string.Join(", ", members.Where(m => m.Status == status).Select(m => m.Member));
        var succeeded = members.Count(m => m.Status == MemberStatus.Succeeded);
        var failed = members.Where(m => CountsAgainstBudget(m.Status, fleet.Then)).ToList();
        var pending = members.Count(m => m.Status is MemberStatus.Pending or MemberStatus.Running);
        var text = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{succeeded} of {members.Count} host(s) done, {fleet.Concurrency} at a time") };
        if (failed.Count > 0)
        {
            text.Add($"failed: {string.Join("; ", failed.Select(m => $"{m.Member} ({FirstLine(m.Output)})"))}");
        }

        if (fleet.Then == UnreachableAction.Skip && members.Any(m => m.Status == MemberStatus.Unreachable))
        {
            text.Add($"unreachable, skipped (still on their release): {Names(MemberStatus.Unreachable)}");
        }

        if (pending > 0)
        {
            text.Add(string.Create(CultureInfo.InvariantCulture, $"not started, the failure budget of {fleet.MaxFailed} being spent: {Names(MemberStatus.Pending)}"));
        }

        return new StepOutcome(failed.Count <= fleet.MaxFailed && pending == 0, string.Join("; ", text));
    }

    private async Task SkippedAsync(StepContext context, string host, HostAttempt attempt, CancellationToken cancellationToken)
    {
        if ((await store.GetRollbackAsync(context.RollbackId, cancellationToken))?.IncidentId is not { } incident)
        {
            return;
        }

        var message = $"{context.RollbackId} step {context.StepIndex + 1}: {host} skipped as unreachable, it stays on its release: {attempt.Output}; roll it back by hand or when its agent is back";
        await store.AppendTimelineAsync(new TimelineEvent(incident, time.GetUtcNow(), TimelineKinds.Escalation, message, "executor"), cancellationToken);
    }

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n')[0];
}
