using Rewind.Core.Signals;

namespace Rewind.Core.Incidents;

/// <summary>
/// One probe's samples over one period around an incident (<c>before</c>, <c>during</c>, <c>after</c>), summed at
/// <see cref="Resolution"/> (the period made whole buckets of it); <see cref="Summary"/> is null when no sample is kept there.
/// </summary>
public sealed record SignalPeriod(string Probe, string Period, DateTimeOffset From, DateTimeOffset To, SampleResolution Resolution, SampleBucket? Summary)
{
    /// <summary>How far before the opening and after the resolution the report looks. 30 minutes.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The periods of an incident at <paramref name="resolution"/>: the margin before it opened, from its opening to its
    /// resolution (or <paramref name="now"/>), and the margin after its resolution (up to now); each made whole buckets.
    /// </summary>
    public static IReadOnlyList<(string Period, DateTimeOffset From, DateTimeOffset To)> Of(Incident incident, DateTimeOffset now, SampleResolution resolution)
    {
        var margin = resolution == SampleResolution.Hour ? resolution.Length() : Margin;
        var opened = resolution.Floor(incident.OpenedAt);
        var ended = resolution.Ceiling(incident.ResolvedAt ?? now);
        var periods = new List<(string, DateTimeOffset, DateTimeOffset)> { ("before", opened - margin, opened), ("during", opened, ended) };
        if (incident.ResolvedAt is not null)
        {
            var until = resolution.Ceiling(now);
            periods.Add(("after", ended, ended + margin < until ? ended + margin : until));
        }

        return periods;
    }
}
