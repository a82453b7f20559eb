using System.Globalization;
using Rewind.Core.Configuration;

namespace Rewind.Core.Signals;

/// <summary>Probe runs the scheduler could not measure: each says the controller is behind, none says anything about a component.</summary>
public sealed partial class MonitorHealth
{
    /// <summary>Runs not measured within one bucket of this length are counted together, so memory stays small at any rate.</summary>
    private static readonly TimeSpan Bucket = TimeSpan.FromMilliseconds(100);

    private readonly Queue<NotMeasuredBucket> _notMeasured = new();
    private long _notMeasuredTotal;

    /// <summary>Runs not measured since the controller started.</summary>
    public long NotMeasuredTotal
    {
        get
        {
            lock (_lock)
            {
                return _notMeasuredTotal;
            }
        }
    }

    /// <summary><paramref name="count"/> probe runs not measured at <paramref name="at"/> (see <see cref="NotMeasuredReason"/>).</summary>
    public void RecordNotMeasured(DateTimeOffset at, NotMeasuredReason reason, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_lock)
        {
            _notMeasuredTotal += count;
            if (!_notMeasured.TryPeek(out _) || at - _notMeasured.Last().At >= Bucket)
            {
                _notMeasured.Enqueue(new NotMeasuredBucket(at));
            }

            var bucket = _notMeasured.Last();
            if (reason == NotMeasuredReason.Late)
            {
                bucket.Late += count;
            }
            else
            {
                bucket.Behind += count;
            }

            Prune(at);
        }
    }

    /// <summary>Runs not measured in the window, by reason; caller holds the lock.</summary>
    private (int Late, int Behind) NotMeasuredSince(DateTimeOffset since)
    {
        var late = 0;
        var behind = 0;
        foreach (var bucket in _notMeasured.Where(b => b.At >= since))
        {
            late += bucket.Late;
            behind += bucket.Behind;
        }

        return (late, behind);
    }

    /// <summary>Why the runs not measured in the window make the controller overloaded; null when too few (<see cref="TooManyNotMeasured"/>). Caller holds the lock.</summary>
    private string? NotMeasuredReasonText(DateTimeOffset since)
    {
        var (late, behind) = NotMeasuredSince(since);
        if (!TooManyNotMeasured(late + behind, since))
        {
            return null;
        }

        var why = new List<string>();
        if (late > 0)
        {
            why.Add(string.Create(CultureInfo.InvariantCulture, $"{late} could not start on time"));
        }

        if (behind > 0)
        {
            why.Add(string.Create(CultureInfo.InvariantCulture, $"{behind} timed out while it was behind"));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{late + behind} probe runs not measured in the last {Durations.Format(Options.Window)} ({string.Join(", ", why)})");
    }

    /// <summary>
    /// As for late runs: at least <see cref="MonitorHealthOptions.MinLateRuns"/>, and at least
    /// <see cref="MonitorHealthOptions.MinLateShare"/> of all runs in the window, so that the first runs after a start or
    /// one pause are not overload. Caller holds the lock.
    /// </summary>
    private bool TooManyNotMeasured(int notMeasured, DateTimeOffset since) =>
        notMeasured >= Options.MinLateRuns && notMeasured >= Options.MinLateShare * (notMeasured + _runs.Count(r => r.At >= since));

    private void PruneNotMeasured(DateTimeOffset since)
    {
        while (_notMeasured.TryPeek(out var bucket) && bucket.At < since)
        {
            _notMeasured.Dequeue();
        }
    }

    private sealed class NotMeasuredBucket(DateTimeOffset at)
    {
        public DateTimeOffset At { get; } = at;

        public int Late { get; set; }

        public int Behind { get; set; }
    }
}
