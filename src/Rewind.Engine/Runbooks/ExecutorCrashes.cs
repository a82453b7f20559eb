using Rewind.Core.Incidents;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Runbooks;

/// <summary>
/// Counts each rollback's crashes in a row in the executor (a run that threw, tried again from the store's record). A
/// rollback that crashed <see cref="LoopAfter"/> times in a row is the controller's own fault, not a slow step: it is
/// raised as <see cref="ControllerFaultKinds.ExecutorCrashLoop"/> until every such rollback runs to an end. Thread-safe.
/// </summary>
internal sealed class ExecutorCrashes(ControllerFaults faults)
{
    public const int LoopAfter = 3;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Streak> _streaks = new(StringComparer.Ordinal);

    /// <summary>Counts a crash of <paramref name="rollbackId"/>; returns how many in a row it has now.</summary>
    public int Crashed(string rollbackId, Exception error, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate)
        {
            var streak = _streaks.TryGetValue(rollbackId, out var before) ? before with { Count = before.Count + 1, Last = error.Message } : new Streak(1, at, error.Message);
            _streaks[rollbackId] = streak;
            Raise(at);
            return streak.Count;
        }
    }

    /// <summary>The rollback's run ended (done, paused or handed back): its streak is over.</summary>
    public void Ended(string rollbackId)
    {
        lock (_gate)
        {
            if (_streaks.Remove(rollbackId))
            {
                Raise(null);
            }
        }
    }

    private void Raise(DateTimeOffset? at)
    {
        var looping = _streaks.Where(s => s.Value.Count >= LoopAfter).OrderBy(s => s.Value.Since).ToList();
        if (looping.Count == 0)
        {
            faults.Clear(ControllerFaultKinds.ExecutorCrashLoop);
            return;
        }

        var (id, worst) = (looping[0].Key, looping[0].Value);
        var others = looping.Count > 1 ? $" (and {looping.Count - 1} other rollback(s))" : "";
        faults.Raise(
            ControllerFaultKinds.ExecutorCrashLoop,
            Severity.P1,
            "executor crash-looping",
            $"rollback {id}{others} crashed {worst.Count} times in a row in the executor, last: {worst.Last}; it is tried again from where its record says it stopped, but it may not finish: see rewind incident show for its incident and the controller's log",
            at ?? worst.Since);
    }

    private sealed record Streak(int Count, DateTimeOffset Since, string Last);
}
