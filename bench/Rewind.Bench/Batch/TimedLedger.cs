using System.Collections.Concurrent;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;

namespace Rewind.Bench.Batch;

/// <summary>
/// Passes every call to the store's ledger and notes when the runner wrote ahead of a call and after a member, so the
/// time around each process can be told apart from the time in it.
/// </summary>
internal sealed class TimedLedger(IMemberLedger inner) : IMemberLedger
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(DateTimeOffset Enter, DateTimeOffset Written)>> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Enter, DateTimeOffset Written)> _finished = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<MemberResult>> GetMembersAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default) =>
        inner.GetMembersAsync(rollbackId, stepIndex, cancellationToken);

    public Task AddMembersAsync(string rollbackId, int stepIndex, IReadOnlyList<string> members, CancellationToken cancellationToken = default) =>
        inner.AddMembersAsync(rollbackId, stepIndex, members, cancellationToken);

    public Task<IReadOnlyDictionary<int, MemberCounts>> GetMemberCountsAsync(string rollbackId, CancellationToken cancellationToken = default) =>
        inner.GetMemberCountsAsync(rollbackId, cancellationToken);

    public async Task MarkMemberStartedAsync(string rollbackId, int stepIndex, string member, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var enter = DateTimeOffset.UtcNow;
        await inner.MarkMemberStartedAsync(rollbackId, stepIndex, member, at, cancellationToken);
        _started.GetOrAdd(member, _ => new()).Enqueue((enter, DateTimeOffset.UtcNow));
    }

    public async Task MarkMemberFinishedAsync(string rollbackId, int stepIndex, string member, MemberStatus status, DateTimeOffset at, string? output, CancellationToken cancellationToken = default)
    {
        var enter = DateTimeOffset.UtcNow;
        await inner.MarkMemberFinishedAsync(rollbackId, stepIndex, member, status, at, output, cancellationToken);
        _finished[member] = (enter, DateTimeOffset.UtcNow);
    }

    /// <summary>Members called once: where the time of their one call went, from the runner's writes and the fake's log.</summary>
    public IReadOnlyList<CallPhases> PhasesOfSingleCalls(IReadOnlyList<FunctionCall> calls) =>
        [.. calls.Where(c => c.Acquired is not null && calls.Count(o => o.Member == c.Member) == 1
                && _started.TryGetValue(c.Member, out var s) && s.Count == 1 && _finished.ContainsKey(c.Member))
            .Select(c =>
            {
                var (enter, written) = _started[c.Member].Single();
                var finished = _finished[c.Member];
                return new CallPhases(
                    Ms(written - enter),
                    Ms(c.Started - written),
                    Ms(c.Acquired!.Value - c.Started),
                    Ms(c.Released!.Value - c.Acquired.Value),
                    Ms(c.Finished - c.Released.Value),
                    Ms(finished.Enter - c.Finished),
                    Ms(finished.Written - finished.Enter));
            })];

    private static double Ms(TimeSpan span) => span.TotalMilliseconds;
}

/// <summary>
/// One call's time in milliseconds, in order: the write ahead, process start until the fake's code runs (fork, exec,
/// interpreter), until it holds a quota slot, in the slot, slot freed until the fake's last line, until the runner has
/// the result (exit, reaping, pipes), the write after.
/// </summary>
internal sealed record CallPhases(double WriteAhead, double Start, double ToSlot, double InSlot, double AfterSlot, double Exit, double WriteAfter)
{
    public double Outside => WriteAhead + Start + ToSlot + AfterSlot + Exit + WriteAfter;

    /// <summary>Each phase's median over the calls; null when there are none.</summary>
    public static CallPhases? Median(IReadOnlyList<CallPhases> calls) => calls.Count == 0 ? null : new(
        Of(calls, c => c.WriteAhead), Of(calls, c => c.Start), Of(calls, c => c.ToSlot), Of(calls, c => c.InSlot), Of(calls, c => c.AfterSlot), Of(calls, c => c.Exit), Of(calls, c => c.WriteAfter));

    private static double Of(IReadOnlyList<CallPhases> calls, Func<CallPhases, double> phase) => Stats.Of([.. calls.Select(phase)]).Median;
}
