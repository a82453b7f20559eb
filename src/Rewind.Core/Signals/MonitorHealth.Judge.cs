using System.Globalization;
using Rewind.Core.Configuration;

namespace Rewind.Core.Signals;

/// <summary>The verdicts: whether the controller is overloaded, and whether one component's failure can be believed.</summary>
public sealed partial class MonitorHealth
{
    /// <summary>
    /// Whether the newest failure among <paramref name="probes"/> of <paramref name="component"/> can be believed at
    /// <paramref name="now"/>. Inconclusive when it is a kind of failure the controller can cause itself (a timeout, a
    /// slow answer, a connection or name failure, a command exit) and its own run started late or overran its timeout,
    /// or the controller is overloaded; and, whatever the kind, when most components fail the same way at once.
    /// Conclusive when no failure of those probes is known. The newest failure counts even when a pass followed it.
    /// </summary>
    public MonitorVerdict Judge(string component, IReadOnlyCollection<string> probes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(probes);
        lock (_lock)
        {
            Prune(now);
            // The newest failure, even if a pass followed: a count of failures in a window fires on failures past.
            var failed = probes
                .Select(p => _lastFailed.GetValueOrDefault((component, p)))
                .Where(r => r is not null)
                .MaxBy(r => r!.Started);
            if (failed is null)
            {
                return MonitorVerdict.Believed;
            }

            var kind = failed.Kind;
            if (!ProbeErrors.IsAnswer(kind))
            {
                if (LateRunReason(failed) is { } late)
                {
                    return MonitorVerdict.Inconclusive(late);
                }

                if (OverloadReason(now) is { } overloaded)
                {
                    return MonitorVerdict.Inconclusive($"the controller itself is overloaded: {overloaded}");
                }
            }

            return CorrelationReason(component, kind, failed.Interval, now) is { } shared
                ? MonitorVerdict.Inconclusive(shared)
                : MonitorVerdict.Believed;
        }
    }

    /// <summary>The controller's own health at <paramref name="now"/>.</summary>
    public MonitorStatus Status(DateTimeOffset now)
    {
        lock (_lock)
        {
            Prune(now);
            var reason = OverloadReason(now);
            var maxLag = _late.Select(l => l.Lag).DefaultIfEmpty(TimeSpan.Zero).Max();
            var maxWrite = _slowWrites.Select(w => w.Took).DefaultIfEmpty(TimeSpan.Zero).Max();
            var (late, behind) = NotMeasuredSince(now - Options.Window);
            return new MonitorStatus(reason is not null, reason is null ? null : $"the controller itself is overloaded: {reason}", maxLag, maxWrite)
            {
                NotMeasured = late + behind,
                BehindOnProbes = TooManyNotMeasured(late + behind, now - Options.Window),
                NotMeasuredTotal = _notMeasuredTotal,
            };
        }
    }

    private string? LateRunReason(ProbeRun run)
    {
        var kind = ProbeErrors.Describe(run.Kind);
        if (run.Lag > Options.LateAfter(run.Interval))
        {
            return $"the failed run of probe {run.Probe} ({kind}) started {Durations.Format(run.Lag)} late: the controller could not run it on time, so its result says nothing about {run.Component}";
        }

        return run.Overrun > Options.LateAfter(run.Timeout)
            ? $"the failed run of probe {run.Probe} ({kind}) ended {Durations.Format(run.Overrun)} after its timeout of {Durations.Format(run.Timeout)}: the controller's own timers fire late, so its result says nothing about {run.Component}"
            : null;
    }

    private string? OverloadReason(DateTimeOffset now)
    {
        var since = now - Options.Window;
        var runs = _runs.Count(r => r.At >= since);
        var late = _late.Where(l => l.At >= since).ToList();
        var reasons = new List<string>();
        if (late.Count >= Options.MinLateRuns && late.Count >= Options.MinLateShare * runs)
        {
            var window = Durations.Format(Options.Window);
            var lag = late.Max(l => l.Lag);
            var overrun = late.Max(l => l.Overrun);
            var what = new List<string>();
            if (lag > TimeSpan.Zero)
            {
                what.Add($"started up to {Durations.Format(lag)} late");
            }

            if (overrun > TimeSpan.Zero)
            {
                what.Add($"ended up to {Durations.Format(overrun)} after their timeouts");
            }

            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"probe runs {string.Join(" and ", what)} in the last {window} ({late.Count} of {runs} runs)"));
        }

        if (NotMeasuredReasonText(since) is { } notMeasured)
        {
            reasons.Add(notMeasured);
        }

        var slow = _slowWrites.Where(w => w.At >= since).ToList();
        if (slow.Count >= Options.MinSlowStoreWrites)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{slow.Count} store writes took over {Durations.Format(Options.SlowStoreWrite)} (up to {Durations.Format(slow.Max(w => w.Took))}) in the last {Durations.Format(Options.Window)}"));
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private string? CorrelationReason(string component, ProbeErrorKind kind, TimeSpan interval, DateTimeOffset now)
    {
        var window = TimeSpan.FromTicks(Math.Max(Options.MinCorrelationWindow.Ticks, (long)(interval.Ticks * Options.CorrelationIntervals)));
        var since = now - window;
        var watched = _seen.Count;
        var failing = _seen.Keys.Count(c => string.Equals(c, component, StringComparison.Ordinal)
            || (_lastFailure.TryGetValue((c, kind), out var at) && at >= since));
        if (failing < Options.MinCorrelatedComponents || failing < Options.CorrelatedShare * watched)
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{failing} of {watched} components failed within {Durations.Format(window)} with the same error ({ProbeErrors.Describe(kind)}): a failure of the monitor or of a shared dependency, not of one release");
    }
}
