namespace Rewind.Bench.Detection;

/// <summary>
/// A request stream starting at the deploy of a new release (t = 0): the bad-event probability of each request as a
/// function of time in seconds. Healthy scenarios measure false alarms; the others measure detection delay.
/// </summary>
internal sealed record Scenario(string Name, bool Healthy, Func<double, double> BadRate)
{
    public const double Baseline = 0.005;

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("healthy 0.5 %", true, _ => Baseline),
        new("diurnal drift 0.5 % ± 30 %", true, t => Baseline * (1 + (0.3 * Math.Sin(2 * Math.PI * t / 3600)))),
        new("step 0.5 % → 1 %", false, _ => 0.01),
        new("step 0.5 % → 2 %", false, _ => 0.02),
        new("step 0.5 % → 5 %", false, _ => 0.05),
        new("step 0.5 % → 10 %", false, _ => 0.10),
        new("latency step: 20 % slow", false, _ => 0.20),
        new("hard outage", false, _ => 1.0),
        new("slow burn 0.5 % → 5 % over 30 min", false, t => Baseline + ((0.05 - Baseline) * Math.Min(1, t / 1800))),
        new("flapping 5 % / 0.5 % every 30 s", false, t => (int)(t / 30) % 2 == 0 ? 0.05 : Baseline),
    ];
}
