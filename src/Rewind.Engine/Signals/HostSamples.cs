using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Signals;

/// <summary>
/// Takes the samples a host's agent sends of the probes it runs, and stores them: any replica may take them. The
/// leader's <see cref="HostProbeFeed"/> reads them back and hands them to the board and the decision engine. A batch with
/// a sample of a probe the host does not run is refused whole, and a batch taken is written in one transaction, so nothing
/// is half-written; a sample not newer than the newest stored of its probe (a batch sent again after its answer was
/// lost) is skipped, so a repeat changes nothing.
/// </summary>
internal sealed class HostSamples(ConfigHolder config, IStore store, TimeProvider time)
{
    /// <summary>
    /// How far ahead of the controller's clock a sample's time may be. A sample from further ahead (a host's clock gone
    /// wrong) is refused: stored, it would hide every later sample of its probe until the controller's clock passed it.
    /// </summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(1);

    /// <summary>The most samples one batch may carry.</summary>
    public const int MaxBatch = 1000;

    /// <summary>The longest error kept of a sample; longer ones are cut.</summary>
    public const int MaxError = 2000;

    public async Task<Outcome<HostSamplesStored>> StoreAsync(string host, IReadOnlyList<ProbeSample> samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count > MaxBatch)
        {
            return Refusal.Invalid("invalid samples", $"at most {MaxBatch} samples in one batch, not {samples.Count}");
        }

        var assigned = HostProbe.Of(config.Current, host).Select(p => (p.Component, p.Name)).ToHashSet();
        if (samples.FirstOrDefault(s => !assigned.Contains((s.Component, s.Probe))) is { } stranger)
        {
            return Refusal.Forbidden("not this host's probe", $"{stranger.Component}/{stranger.Probe} is not a probe run on {host}; the host runs {(assigned.Count == 0 ? "none" : string.Join(", ", assigned.Select(a => $"{a.Component}/{a.Name}").Order(StringComparer.Ordinal)))}; nothing of this batch was stored");
        }

        var now = time.GetUtcNow();
        if (samples.FirstOrDefault(s => s.At - now > MaxAhead) is { } ahead)
        {
            return Refusal.Invalid("sample from the future", $"{ahead.Component}/{ahead.Probe} was taken at {Timestamps.Format(ahead.At)}, {Durations.Format(ahead.At - now)} ahead of the controller's clock ({Timestamps.Format(now)}); set {host}'s clock right (NTP); nothing of this batch was stored");
        }

        var stored = new List<ProbeSample>(samples.Count);
        foreach (var probe in samples.GroupBy(s => (s.Component, s.Probe)))
        {
            var newest = await store.GetRecentSamplesAsync(probe.Key.Component, probe.Key.Probe, 1, cancellationToken) is [var last, ..] ? last.At : DateTimeOffset.MinValue;
            foreach (var sample in probe.OrderBy(s => s.At).Where(s => s.At > newest))
            {
                stored.Add(sample.Error is { Length: > MaxError } error ? sample with { Error = error[..MaxError] + " …" } : sample);
                newest = sample.At;
            }
        }

        await store.AddSamplesAsync(stored, cancellationToken); // one transaction: the batch is stored whole or not at all
        return Outcome<HostSamplesStored>.Done(new HostSamplesStored(stored.Count, samples.Count - stored.Count));
    }
}

/// <summary>How many samples of a batch were stored, and how many were skipped as stored before.</summary>
internal sealed record HostSamplesStored(int Stored, int Skipped);
