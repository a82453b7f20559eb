using System.Globalization;

namespace Rewind.Core.Detectors;

public sealed partial record AnytimeRegressionTest
{
    /// <summary>
    /// What was measured and how sure, for an incident timeline, e.g. "12 bad in 230 requests (5.2 %) against the last
    /// known good's 0.5 %: about 10× the baseline; e-value 1,540 ≥ 639 (false-alarm rate α = 0.001)".
    /// </summary>
    public string Describe() => Describe("bad in", p0 => F($"the last known good's {p0} %"));

    /// <summary>
    /// The same with other words for the events and the baseline (given p0 in percent), e.g. "42 slower than 250 ms in
    /// 300 requests (14.0 %) against the 5.0 % a p95 within 250 ms allows: …".
    /// </summary>
    public string Describe(string badIn, Func<string, string> baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var test = Deciding;
        var since = test.Restart == 0 ? "" : F($"since request {test.FirstEvent + 1:N0} (late-change test {test.Restart}): ");
        var rate = test.Events == 0 ? 0 : (double)test.BadEvents / test.Events;
        var factor = test.EstimatedFactor < 1.05 ? "not above the baseline" : F($"about {Factor(test.EstimatedFactor)}× the baseline");
        var level = test.IsAlarm ? F($"≥ {Number(test.AlarmLevel)}") : F($"(alarm at {Number(test.AlarmLevel)})");
        return F($"{since}{test.BadEvents:N0} {badIn} {test.Events:N0} requests ({Percent(rate)} %) against {baseline(Percent(BaselineRate))}: {factor}; e-value {Number(test.EValue)} {level} (false-alarm rate α = {FalseAlarmRate})");
    }

    /// <summary>
    /// The clearance in a few words, e.g. "cleared: a 10× regression is ruled out at β = 0.01 after 410 requests" or
    /// "baking: 130 of about 410 requests needed to rule out a 10× regression (β = 0.01)".
    /// </summary>
    public string DescribeClearance()
    {
        var regression = F($"a {Factor(ConfiguredAlternativeRate / BaselineRate)}× regression");
        return Verdict == AnytimeVerdict.Regressed ? "not cleared: the release regressed"
            : IsCleared ? F($"cleared: {regression} is ruled out at β = {MissRate} after {ClearedAtEvent:N0} requests")
            : F($"baking: {Events:N0} of about {RequestsToClear:N0} requests needed to rule out {regression} (β = {MissRate})");
    }

    private static string Factor(double factor) => factor < 10 ? F($"{factor:0.#}") : F($"{factor:0}");

    private static string Percent(double rate) => 100 * rate >= 1 ? F($"{100 * rate:0.0}") : F($"{100 * rate:0.0##}");

    private static string Number(double value) => value switch
    {
        < 10 => F($"{value:0.##}"),
        < 1e6 => F($"{value:N0}"),
        _ => value.ToString("0.0e0", CultureInfo.InvariantCulture),
    };

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
