using System.Text;

namespace Rewind.Server.Signals;

/// <summary>
/// When a probe's runs fall: on a grid of its interval counted from the Unix epoch, offset by a phase hashed from its
/// component and name. The same probe runs at the same offset after a restart or a reload, on every replica; many
/// probes with the same interval spread evenly over it instead of running at the same instant.
/// </summary>
internal static class ProbePhases
{
    /// <summary>The probe's offset within its interval: from zero to just under <paramref name="interval"/>.</summary>
    public static TimeSpan Of(string component, string probe, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        var hash = 14695981039346656037UL; // FNV-1a, then a final mix so the low bits spread too
        foreach (var b in Encoding.UTF8.GetBytes(component + "\n" + probe))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return TimeSpan.FromTicks((long)(hash % (ulong)interval.Ticks));
    }

    /// <summary>The probe's first run at or after <paramref name="now"/>.</summary>
    public static DateTimeOffset FirstDue(DateTimeOffset now, string component, string probe, TimeSpan interval)
    {
        var phase = Of(component, probe, interval);
        var sinceGrid = (now.UtcTicks - phase.Ticks) % interval.Ticks;
        if (sinceGrid < 0)
        {
            sinceGrid += interval.Ticks;
        }

        return sinceGrid == 0 ? now : now + TimeSpan.FromTicks(interval.Ticks - sinceGrid);
    }
}
