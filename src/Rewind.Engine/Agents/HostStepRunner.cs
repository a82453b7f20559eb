using Rewind.Core.Agents;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Runbooks;

namespace Rewind.Engine.Agents;

/// <summary>
/// Runs <see cref="OnHostStep"/>: stores the step as one attempt for its host (the same attempt when the step is run
/// again after a restart or a takeover, so the host never gets it twice), wakes the host's agent, and waits for its
/// report. When the host's agent is lost (<see cref="AgentLiveness"/>) for longer than the step's limit, the attempt is
/// given up as <see cref="HostAttemptStatus.Unreachable"/>: never taken, the host was not touched; taken and not
/// reported, its effect there is unknown, and a report that comes later is kept beside the record.
/// </summary>
internal sealed class HostStepRunner(IStore store, AgentWork work, TimeProvider time) : IStepRunner
{
    /// <summary>How often the attempt and the host's agent are read back (a report at another replica wakes nothing here).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public string Kind => OnHostStep.KindName;

    public Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default) =>
        Task.FromResult(StepOutcome.Failure("a step on a host runs only within a rollback"));

    public async Task<StepOutcome> RunAsync(PlanStep planStep, StepContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var on = (OnHostStep)planStep;
        var waitingSince = time.GetUtcNow();
        var attempt = await store.EnsureHostAttemptAsync(
            new HostAttempt(HostAttempt.IdOf(context.RollbackId, context.StepIndex, on.Host), context.RollbackId, context.StepIndex, on.Host, on.Step, HostAttemptStatus.Pending, waitingSince),
            cancellationToken);
        work.Offer(on.Host);
        while (!attempt.IsFinished)
        {
            await work.WaitForReportAsync(attempt.Id, PollInterval, time, cancellationToken);
            attempt = await store.GetHostAttemptAsync(attempt.Id, cancellationToken) ?? throw new InvalidOperationException($"attempt {attempt.Id} is no longer in the store");
            if (attempt.IsFinished)
            {
                break;
            }

            var seenAt = (await store.GetAgentsAsync(cancellationToken)).FirstOrDefault(a => a.Host == on.Host)?.SeenAt;
            var now = time.GetUtcNow();
            if (AgentLiveness.IsConnected(seenAt, now) || now - Max(waitingSince, AgentLiveness.LostSince(seenAt)) < on.UnreachableWait)
            {
                continue;
            }

            var why = Unreachable(on, attempt, seenAt);
            if (await store.GiveUpHostAttemptAsync(attempt.Id, now, why, cancellationToken))
            {
                return StepOutcome.Failure($"{on.Host} unreachable: {why}");
            }

            attempt = await store.GetHostAttemptAsync(attempt.Id, cancellationToken) ?? attempt; // reported meanwhile
        }

        return Outcome(on.Host, attempt);
    }

    /// <summary>What the stored attempt says, as the step's outcome.</summary>
    internal static StepOutcome Outcome(string host, HostAttempt attempt) => attempt.Status switch
    {
        HostAttemptStatus.Succeeded => StepOutcome.Success($"on {host}: {attempt.Output}"),
        HostAttemptStatus.Failed => StepOutcome.Failure($"on {host}: {attempt.Output}"),
        HostAttemptStatus.Unknown => StepOutcome.Failure($"on {host}, state unknown: {attempt.Output}"),
        _ => StepOutcome.Failure($"{host} unreachable: {attempt.Output}"),
    };

    private static string Unreachable(OnHostStep on, HostAttempt attempt, DateTimeOffset? seenAt)
    {
        var contact = seenAt is { } seen ? $"its agent was last heard from at {seen:u}" : "no agent of the host has ever polled";
        var limit = Durations.Format(on.UnreachableWait);
        return attempt.ClaimedAt is { } claimed
            ? $"{contact}; it took the step at {claimed:u} and has not reported within {limit}: whether it acted on {on.Host} is unknown, a person must look (a report that comes later is kept with the record)"
            : $"{contact}; the step was not taken within {limit}, so {on.Host} was not touched";
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
