namespace Rewind.Core.Policies.Conditions;

/// <summary>
/// Events counted in a sliding window. Counts arriving within 100 ms of each other share one entry, so memory stays
/// bounded (600 entries a minute) whatever the event rate. Not thread-safe: the decision engine holds its component's lock.
/// </summary>
public sealed class EventWindow(TimeSpan keep)
{
    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(100);
    private readonly LinkedList<(DateTimeOffset At, long Count)> _entries = new();

    /// <summary>The longest window asked of this one; older entries are dropped.</summary>
    public TimeSpan Keep { get; set; } = keep;

    public void Add(DateTimeOffset at, long count)
    {
        if (_entries.Last is { } last && at - last.Value.At < Granularity && at >= last.Value.At)
        {
            last.Value = (last.Value.At, last.Value.Count + count);
        }
        else
        {
            _entries.AddLast((at, count));
        }

        Prune(at);
    }

    /// <summary>Events in (now − window, now].</summary>
    public long Count(DateTimeOffset now, TimeSpan window)
    {
        Prune(now);
        long total = 0;
        for (var node = _entries.Last; node is not null && node.Value.At > now - window; node = node.Previous)
        {
            total += node.Value.At <= now ? node.Value.Count : 0;
        }

        return total;
    }

    private void Prune(DateTimeOffset now)
    {
        while (_entries.First is { } first && first.Value.At <= now - Keep)
        {
            _entries.RemoveFirst();
        }
    }
}
