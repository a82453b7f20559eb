using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Signals;
using Rewind.Core.Storage;

namespace Rewind.Engine.Signals;

/// <summary>
/// Reads a probe's history across resolutions, each part of a range from the finest level still kept there: raw
/// samples after <see cref="RawFrom"/>, minutes after <see cref="MinutesFrom"/>, hours before. Buckets not rolled yet
/// are summed from the level below by the same rules, so a figure is the same whichever level holds it.
/// </summary>
public sealed class SampleHistory(IStore store, TimeProvider time)
{
    /// <summary>Raw samples are kept from here on (<see cref="SampleRollup"/> deletes only before it).</summary>
    public static DateTimeOffset RawFrom(SamplesConfig samples, DateTimeOffset now) => SampleResolution.Minute.Floor(now - samples.FullResolution);

    /// <summary>Per-minute rollups are kept from here on.</summary>
    public static DateTimeOffset MinutesFrom(SamplesConfig samples, DateTimeOffset now) => SampleResolution.Hour.Floor(now - samples.PerMinute);

    /// <summary>
    /// The points of <paramref name="range"/>, oldest first: at <paramref name="finest"/>
    /// where that level is kept, coarser where it is not. A raw sample is a bucket of one; at most
    /// <paramref name="rawLimit"/> raw samples (the newest).
    /// </summary>
    public async Task<IReadOnlyList<SampleBucket>> PointsAsync(ProbeRange range, SamplesConfig samples, SampleResolution finest, int rawLimit, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var minutesFrom = MinutesFrom(samples, now);
        var rawFrom = finest == SampleResolution.Raw ? RawFrom(samples, now) : range.To;
        if (finest == SampleResolution.Hour)
        {
            minutesFrom = range.To;
        }

        var points = new List<SampleBucket>();
        points.AddRange(await BucketsAsync(range.Clip(range.From, Min(minutesFrom, rawFrom)), SampleResolution.Hour, cancellationToken));
        points.AddRange(await BucketsAsync(range.Clip(minutesFrom, rawFrom), SampleResolution.Minute, cancellationToken));
        var raw = range.Clip(rawFrom, range.To);
        if (raw.From < raw.To)
        {
            var samplesIn = await store.GetSamplesAsync(raw.Component, raw.Probe, raw.From, raw.To, rawLimit, cancellationToken);
            points.AddRange(samplesIn.Select(s => SampleBucket.Of(raw.Probe, s.At, SampleResolution.Raw, [s])!));
        }

        return points;
    }

    /// <summary>
    /// Each probe's samples before, during and after <paramref name="incident"/> (<see cref="SignalPeriod.Of"/>), read
    /// from minutes or, when minutes are no longer kept that far back, from hours (the periods made whole hours).
    /// </summary>
    public async Task<IReadOnlyList<SignalPeriod>> AroundAsync(Incident incident, IEnumerable<string> probes, SamplesConfig samples, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var resolution = SummaryResolution(SampleResolution.Minute.Floor(incident.OpenedAt) - SignalPeriod.Margin, samples);
        var periods = SignalPeriod.Of(incident, now, resolution);
        var signals = new List<SignalPeriod>();
        foreach (var probe in probes.Order(StringComparer.Ordinal))
        {
            foreach (var (period, from, to) in periods)
            {
                var buckets = await BucketsAsync(new ProbeRange(incident.Component, probe, from, to), resolution, cancellationToken);
                signals.Add(new SignalPeriod(probe, period, from, to, resolution, SampleBucket.Merge(probe, from, resolution, [.. buckets])));
            }
        }

        return signals;
    }

    /// <summary>The resolution <see cref="AroundAsync"/> reads for periods starting at <paramref name="from"/>.</summary>
    public SampleResolution SummaryResolution(DateTimeOffset from, SamplesConfig samples) =>
        from >= MinutesFrom(samples, time.GetUtcNow()) ? SampleResolution.Minute : SampleResolution.Hour;

    /// <summary>Buckets of <paramref name="resolution"/> starting in the range (its start made a bucket's): stored rollups up to where they are rolled, summed from below after.</summary>
    public async Task<IReadOnlyList<SampleBucket>> BucketsAsync(ProbeRange range, SampleResolution resolution, CancellationToken cancellationToken = default)
    {
        range = range with { From = resolution.Floor(range.From) };
        if (range.From >= range.To)
        {
            return [];
        }

        var rolled = await store.GetRolledUntilAsync(resolution, cancellationToken) ?? range.From;
        var split = rolled < range.From ? range.From : rolled > range.To ? range.To : rolled;
        var buckets = new List<SampleBucket>();
        if (range.From < split)
        {
            buckets.AddRange(await store.GetRollupsAsync(range.Component, range.Probe, resolution, range.From, split, cancellationToken));
        }

        if (split < range.To)
        {
            buckets.AddRange(resolution == SampleResolution.Minute
                ? await store.SumSamplesAsync(range.Component, range.Probe, resolution, split, range.To, cancellationToken)
                : SampleBucket.Regroup(range.Probe, resolution, await BucketsAsync(range with { From = split }, SampleResolution.Minute, cancellationToken)));
        }

        return buckets;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>One probe of one component over [<see cref="From"/>, <see cref="To"/>).</summary>
public sealed record ProbeRange(string Component, string Probe, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>This range cut to [<paramref name="from"/>, <paramref name="to"/>); empty (From = To) when they do not meet.</summary>
    public ProbeRange Clip(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from > From ? from : From;
        var end = to < To ? to : To;
        return this with { From = start, To = end < start ? start : end };
    }
}
