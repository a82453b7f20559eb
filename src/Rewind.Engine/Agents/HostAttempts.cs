using Rewind.Core.Agents;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;

namespace Rewind.Engine.Agents;

/// <summary>
/// Hands a step to a host's agent and waits for its report. The step is stored as one attempt per rollback step and host
/// (the same attempt when the step is run again after a restart or a takeover, so the host never gets it twice), the
/// host's agent is woken, and the attempt is read back until it is finished. When the host's agent is lost
/// (<see cref="AgentLiveness"/>) for longer than the limit, the attempt is given up as
/// <see cref="HostAttemptStatus.Unreachable"/>: never taken, the host was not touched; taken and not reported, its
/// effect there is unknown, and a report that comes later is kept beside the record.
/// </summary>
internal sealed class HostAttempts(IStore store, AgentWork work, TimeProvider time)
{
    /// <summary>How often the attempt and the host's agent are read back (a report at another replica wakes nothing here).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The attempt <paramref name="id"/>: <paramref name="step"/> on <paramref name="host"/> for this rollback step, once it is finished.</summary>
    public async Task<HostAttempt> RunAsync(string id, string rollbackId, int stepIndex, string host, PlanStep step, TimeSpan unreachableWait, CancellationToken cancellationToken)
    {
        var waitingSince = time.GetUtcNow();
        var attempt = await store.EnsureHostAttemptAsync(new HostAttempt(id, rollbackId, stepIndex, host, step, HostAttemptStatus.Pending, waitingSince), cancellationToken);
        work.Offer(host);
        while (!attempt.IsFinished)
        {
            await work.WaitForReportAsync(attempt.Id, PollInterval, time, cancellationToken);
            attempt = await store.GetHostAttemptAsync(attempt.Id, cancellationToken) ?? throw new InvalidOperationException($"attempt {attempt.Id} is no longer in the store");
            if (attempt.IsFinished)
            {
                break;
            }

            var seenAt = (await store.GetAgentsAsync(cancellationToken)).FirstOrDefault(a => a.Host == host)?.SeenAt;
            var now = time.GetUtcNow();
            if (AgentLiveness.IsConnected(seenAt, now) || now - Max(waitingSince, AgentLiveness.LostSince(seenAt)) < unreachableWait)
            {
                continue;
            }

            await store.GiveUpHostAttemptAsync(attempt.Id, now, Unreachable(host, unreachableWait, attempt, seenAt), cancellationToken);
            attempt = await store.GetHostAttemptAsync(attempt.Id, cancellationToken) ?? attempt; // given up, or reported meanwhile
        }

        return attempt;
    }

    /// <summary>What the finished attempt says, as a step's outcome.</summary>
    public static Runtime.Runbooks.StepOutcome Outcome(HostAttempt attempt) => attempt.Status switch
    {
        HostAttemptStatus.Succeeded => Runtime.Runbooks.StepOutcome.Success($"on {attempt.Host}: {attempt.Output}"),
        HostAttemptStatus.Failed => Runtime.Runbooks.StepOutcome.Failure($"on {attempt.Host}: {attempt.Output}"),
        HostAttemptStatus.Unknown => Runtime.Runbooks.StepOutcome.Failure($"on {attempt.Host}, state unknown: {attempt.Output}"),
        _ => Runtime.Runbooks.StepOutcome.Failure($"{attempt.Host} unreachable: {attempt.Output}"),
    };

    private static string Unreachable(string host, TimeSpan wait, HostAttempt attempt, DateTimeOffset? seenAt)
    {
        var contact = seenAt is { } seen ? $"its agent was last heard from at {Timestamps.Format(seen)}" : "no agent of the host has ever polled";
        var limit = Durations.Format(wait);
        return attempt.ClaimedAt is { } claimed
            ? $"{contact}; it took the step at {Timestamps.Format(claimed)} and has not reported within {limit}: whether it acted on {host} is unknown, a person must look (a report that comes later is kept with the record)"
            : $"{contact}; the step was not taken within {limit}, so {host} was not touched";
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
