using System.Globalization;
using Rewind.Core.Configuration;
using Rewind.Core.Detectors;
using Rewind.Core.Releases;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;

namespace Rewind.Engine.Releases;

/// <summary>
/// The baseline a release's regression test compares against, and whether its own traffic is enough evidence to make
/// it known good. Both are computed from the per-release traffic totals in the store, so a restarted controller reaches
/// the same answer.
/// </summary>
internal sealed class ReleaseEvidence(ConfigHolder config, IStore store, TrafficBoard traffic)
{
    /// <summary>
    /// p0 for <paramref name="version"/>: the last known good's own bad-event rate when it served
    /// <c>min-baseline-requests</c> here (its 99 % upper bound for alarms, its lower bound for clearance; see
    /// <see cref="RateBounds"/>), else the configured rate. Null for a component's first release (no last known
    /// good): there is nothing to compare it with, and it becomes the baseline of the next.
    /// </summary>
    public async Task<RegressionBaseline?> BaselineAsync(string component, string version, RegressionConfig regression, CancellationToken cancellationToken = default)
    {
        var releases = await store.GetReleasesAsync(component, cancellationToken);
        if (LastKnownGood.Select(releases, version) is not { } lkg)
        {
            return null;
        }

        if (await traffic.OfAsync(component, lkg.Version, cancellationToken) is { } measured && measured.Requests >= regression.MinBaselineRequests)
        {
            // The measured rate is an estimate: alarms test against its 99 % upper bound, promotion clears against its lower
            // bound, each floored at 1 in 10,000 (a perfect baseline would make any single error decisive).
            var upper = Math.Clamp(RateBounds.Upper(measured.Bad, measured.Requests), 0.0001, 0.4);
            var lower = Math.Clamp(RateBounds.Lower(measured.Bad, measured.Requests), 0.0001, 0.4);
            return new RegressionBaseline(upper, lkg.Version, F($"measured on {lkg.Version}: {measured.Bad:0} bad of {measured.Requests:0} requests ({100 * measured.BadRatio:0.###} %; between {100 * lower:0.###} % and {100 * upper:0.###} % with 99 % confidence, alarms test against {100 * upper:0.###} %)"))
            {
                ClearingRate = lower,
            };
        }

        return new RegressionBaseline(regression.BaselineRate, lkg.Version, F($"configured rate {100 * regression.BaselineRate:0.###} % (the last known good {lkg.Version} has not served {regression.MinBaselineRequests} requests in Rewind's scrapes)"));
    }

    /// <summary>
    /// The latency-quantile test of <paramref name="version"/> (<c>latency-quantile</c>): against the bound its last
    /// known good kept that quantile under, from the last known good's histogram totals in the store. Null without
    /// <c>latency-quantile</c>, for a first release, or when the last known good gives no bound (too few requests in its
    /// histogram, or its quantile beyond the highest bound).
    /// </summary>
    public async Task<LatencyShiftTest?> LatencyShiftAsync(string component, string version, RegressionConfig regression, double falseAlarm, CancellationToken cancellationToken = default)
    {
        if (regression.LatencyQuantile is not { } quantile
            || LastKnownGood.Select(await store.GetReleasesAsync(component, cancellationToken), version) is not { } lkg)
        {
            return null;
        }

        var buckets = await traffic.LatencyOfAsync(component, lkg.Version, cancellationToken);
        return LatencyShiftTest.Start(buckets, lkg.Version, quantile, regression.LatencyFactor, falseAlarm, regression.Miss, regression.MinBaselineRequests, out _);
    }

    /// <summary>
    /// Whether the release's traffic rules out, for every regression policy of the component, the configured regression
    /// at the configured miss rate β (and with <c>latency-quantile</c> the configured shift of the share slower than the
    /// last known good's bound); with the counts for status ("130 of about 410 requests").
    /// </summary>
    public async Task<PromotionEvidence> ForPromotionAsync(string component, Release release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        var policies = config.Component(component)?.Policies.Where(p => p.Value.When.Regression is not null && !p.Value.Shadow).ToList() ?? [];
        if (policies.Count == 0)
        {
            return PromotionEvidence.NotNeeded;
        }

        var served = await traffic.OfAsync(component, release.Version, cancellationToken);
        var (requests, bad) = ((long)Math.Round(served?.Requests ?? 0), (long)Math.Round(served?.Bad ?? 0));
        var waiting = new List<string>();
        long needed = 0;
        foreach (var (name, policy) in policies)
        {
            var regression = policy.When.Regression!;
            if (await BaselineAsync(component, release.Version, regression, cancellationToken) is not { } baseline)
            {
                return new PromotionEvidence(true, requests, null, F($"first release of {component}: no last known good to compare with; its own traffic ({requests} requests) becomes the baseline of the next"));
            }

            var clearance = RegressionClearance.Of(baseline.ClearingRate, regression, requests, bad);
            needed = Math.Max(needed, clearance.RequestsNeeded);
            if (!clearance.Cleared)
            {
                waiting.Add(F($"policy {name}: {clearance.Describe()}"));
            }

            if (await LatencyShiftAsync(component, release.Version, regression, regression.FalseAlarm / 2, cancellationToken) is { } latency)
            {
                var (measured, slower) = LatencyShiftTest.Slower(await traffic.LatencyOfAsync(component, release.Version, cancellationToken), latency.Bound);
                var shift = RegressionClearance.Of(1 - latency.Quantile, latency.Test.ConfiguredFactor, regression.FalseAlarm / 2, regression.Miss, measured, slower);
                needed = Math.Max(needed, shift.RequestsNeeded);
                if (!shift.Cleared)
                {
                    waiting.Add(F($"policy {name}, {LatencyShiftTest.Name(latency.Quantile)} latency: {shift.Describe()} (requests slower than {1000 * latency.Bound:0.##} ms)"));
                }
            }
        }

        return waiting.Count == 0
            ? new PromotionEvidence(true, requests, needed, F($"{requests} requests rule out the configured regression of every policy"))
            : new PromotionEvidence(false, requests, needed, F($"{requests} of about {needed} requests: ") + string.Join("; ", waiting));
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>p0 of a regression test, the release it was measured on, and where it came from in words.</summary>
internal sealed record RegressionBaseline(double Rate, string Release, string Source)
{
    /// <summary>p0 promotion clears against: the lower bound of a measured rate, else the configured rate.</summary>
    public double ClearingRate { get; init; } = Rate;
}

/// <summary>Whether a release has earned known good by its traffic, its request count, the count needed, and why in words.</summary>
internal sealed record PromotionEvidence(bool Sufficient, long Requests, long? RequestsNeeded, string Summary)
{
    public static PromotionEvidence NotNeeded { get; } = new(true, 0, null, "no regression policy: bake time and probes decide");
}
