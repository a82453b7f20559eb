namespace Rewind.Core.Signals;

/// <summary>
/// One probe run as the monitor saw it: when its tick was due, when the run started, how long it took against its
/// timeout, and what it found. The timing is the controller's own health; the result is the component's, if the timing
/// allows believing it.
/// </summary>
/// <param name="Component">The component the probe belongs to.</param>
/// <param name="Probe">The probe's name.</param>
/// <param name="Due">When the probe's tick was due.</param>
/// <param name="Started">When the run actually started.</param>
/// <param name="Interval">The probe's interval (lateness is judged against it).</param>
/// <param name="Timeout">The probe's timeout (an overrun of it says the controller's timers fire late).</param>
/// <param name="Elapsed">How long the run took.</param>
/// <param name="Success">Whether the probe passed.</param>
/// <param name="Error">The probe's error text when it failed.</param>
public sealed record ProbeRun(
    string Component, string Probe, DateTimeOffset Due, DateTimeOffset Started, TimeSpan Interval, TimeSpan Timeout, TimeSpan Elapsed, bool Success, string? Error = null)
{
    /// <summary>How late the run started; never negative.</summary>
    public TimeSpan Lag => Started > Due ? Started - Due : TimeSpan.Zero;

    /// <summary>How far the run went past its timeout; never negative.</summary>
    public TimeSpan Overrun => Elapsed > Timeout ? Elapsed - Timeout : TimeSpan.Zero;

    public ProbeErrorKind Kind => Success ? ProbeErrorKind.None : ProbeErrors.Classify(Error);

    /// <summary>The run of a sample whose tick was due at <paramref name="due"/>.</summary>
    public static ProbeRun Of(ProbeSample sample, DateTimeOffset due, TimeSpan interval, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(sample);
        return new ProbeRun(sample.Component, sample.Probe, due, sample.At, interval, timeout, TimeSpan.FromMilliseconds(sample.LatencyMs), sample.Success, sample.Error);
    }
}
