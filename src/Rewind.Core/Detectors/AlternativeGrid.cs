namespace Rewind.Core.Detectors;

/// <summary>
/// The alternatives of an <see cref="AnytimeRegressionTest"/>: rates p_i = p0 × factor_i (capped halfway between p0 and
/// 1, equal rates merged) with prior weights w_i summing to 1. The e-value of n events with x bad is the mixture of
/// likelihood ratios Σ w_i (p_i/p0)^x ((1-p_i)/(1-p0))^(n-x), computed from the counts alone, so a test's state is two
/// numbers and a batch is the same evidence as its events one by one. The configured factor gets the design's extra
/// weight.
/// </summary>
internal sealed class AlternativeGrid
{
    private readonly double[] _logWeights;
    private readonly double[] _badWeights;
    private readonly double[] _goodWeights;

    public AlternativeGrid(double baselineRate, AnytimeTestDesign design, double? configuredFactor = null)
    {
        BaselineRate = baselineRate;
        ConfiguredFactor = configuredFactor;
        var extra = configuredFactor is { } f && design.ConfiguredFactorWeight > 0 ? new[] { (First: f, Second: design.ConfiguredFactorWeight) } : [];
        var alternatives = design.Factors.Zip(design.Weights).Concat(extra).ToList();
        var total = alternatives.Sum(a => a.Second);
        var merged = alternatives
            .GroupBy(fw => Alternative(baselineRate, fw.First))
            .OrderBy(g => g.Key)
            .Select(g => (Rate: g.Key, Weight: g.Sum(fw => fw.Second) / total))
            .ToArray();
        Rates = merged.Select(m => m.Rate).ToArray();
        _logWeights = merged.Select(m => Math.Log(m.Weight)).ToArray();
        _badWeights = Rates.Select(p => Math.Log(p / baselineRate)).ToArray();
        _goodWeights = Rates.Select(p => Math.Log((1 - p) / (1 - baselineRate))).ToArray();
    }

    public double BaselineRate { get; }

    /// <summary>The policy's configured factor, which the design may weight more; null for none.</summary>
    public double? ConfiguredFactor { get; }

    /// <summary>The distinct alternative rates, ascending.</summary>
    public IReadOnlyList<double> Rates { get; }

    /// <summary>p0 × factor, at most halfway between p0 and 1 so that a good event never rules an alternative out.</summary>
    public static double Alternative(double baselineRate, double factor) => Math.Min(baselineRate * factor, (1 + baselineRate) / 2);

    /// <summary>ln Σ w_i LR_i for <paramref name="events"/> events of which <paramref name="badEvents"/> were bad (log-sum-exp).</summary>
    public double LogEValue(long events, long badEvents)
    {
        var good = events - badEvents;
        var max = double.NegativeInfinity;
        Span<double> terms = stackalloc double[_logWeights.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = _logWeights[i] + (badEvents * _badWeights[i]) + (good * _goodWeights[i]);
            max = Math.Max(max, terms[i]);
        }

        var sum = 0.0;
        foreach (var term in terms)
        {
            sum += Math.Exp(term - max);
        }

        return max + Math.Log(sum);
    }
}
