namespace Rewind.Bench.Detection;

/// <summary>One detector's delays over the runs of one cell, in seconds; runs where it did not alarm are not averaged.</summary>
internal sealed record DelaySummary(string Detector, int Runs, int Detected, double? MeanSeconds, double? MedianSeconds, double? P95Seconds)
{
    public double DetectedShare => Runs == 0 ? 0 : (double)Detected / Runs;

    /// <summary>Summarises the delays; NaN marks a run that does not count (a false alarm before the change).</summary>
    public static DelaySummary Of(string detector, IEnumerable<double?> delays)
    {
        var counted = delays.Where(d => d is not { } x || !double.IsNaN(x)).ToList();
        var sorted = counted.OfType<double>().Order().ToArray();
        return sorted.Length == 0
            ? new DelaySummary(detector, counted.Count, 0, null, null, null)
            : new DelaySummary(detector, counted.Count, sorted.Length, sorted.Average(), sorted[sorted.Length / 2], sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1]);
    }
}

/// <summary>A cell of the table: its name, rate, the oracle (steps only) and each detector's delays.</summary>
internal sealed record CellResult(string Cell, double Baseline, int Rps, double Factor, double? OracleRequests, IReadOnlyList<DelaySummary> Detectors)
{
    public DelaySummary Rewind => Detectors[0];

    public DelaySummary Named(string prefix) => Detectors.First(d => d.Detector.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>False alarms of every detector on the A/A streams of one baseline and rate.</summary>
internal sealed record HealthyResult(string Cell, double Baseline, int Rps, int Streams, int HorizonSeconds, IReadOnlyList<string> Detectors, IReadOnlyList<int> Alarms);
