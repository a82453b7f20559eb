using Rewind.Core.Detectors;

namespace Rewind.Bench.Detection;

/// <summary>
/// A release that is bad from its deploy: the bad-event rate steps from the baseline p0 to p0 × factor. The oracle is
/// Wald's expected sample size of an SPRT built for exactly this step with the same α and β: the least any test with
/// these error rates needs on average, if it knew the step in advance.
/// </summary>
internal sealed record StepCell(double Baseline, int Rps, double Factor)
{
    public const double Alpha = 0.001;
    public const double Beta = 0.01;
    public const double ConfiguredFactor = 10;

    public static IReadOnlyList<StepCell> All { get; } =
        [.. from baseline in new[] { 0.005, 0.01 } from rps in new[] { 5, 50 } from factor in new[] { 1.5, 2, 3, 5, 10, 20 } select new StepCell(baseline, rps, factor)];

    public double Rate => Baseline * Factor;

    public double Oracle => SequentialRegressionTest.MinimumExpectedSampleSize(Baseline, Rate, Alpha, Beta);

    public string Name => FormattableString.Invariant($"{100 * Baseline:0.0} % ×{Factor} at {Rps}/s");
}
