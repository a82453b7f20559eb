using Rewind.Core.Signals.Metrics;

namespace Rewind.Core.Tests.Signals;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Parse_TypicalExposition_ReadsSamplesTypesAndEscapes()
    {
        const string text = """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{route="/",code="200"} 1027
            http_requests_total{route="/",code="500"} 3 1700000000000
            label_escapes{path="C:\\dir",quote="say \"hi\"",nl="a\nb"} 1
            # TYPE temperature gauge
            temperature -1.5e1
            nan_value NaN
            up_bound{le="+Inf"} +Inf
            """;

        var exposition = PrometheusText.Parse(text);

        exposition.Errors.ShouldBeEmpty();
        exposition.Types["http_requests_total"].ShouldBe("counter");
        exposition.Sum("http_requests_total").ShouldBe(1030);
        exposition.Samples[1].TimestampMs.ShouldBe(1700000000000);
        var escaped = exposition.Samples[2];
        (escaped.Label("path"), escaped.Label("quote"), escaped.Label("nl")).ShouldBe(("C:\\dir", "say \"hi\"", "a\nb"));
        exposition.Sum("temperature").ShouldBe(-15);
        double.IsNaN(exposition.Samples[4].Value).ShouldBeTrue();
        exposition.Samples[5].Value.ShouldBe(double.PositiveInfinity);
    }

    [Fact]
    public void Parse_BrokenLines_AreReportedAndTheRestIsKept()
    {
        var exposition = PrometheusText.Parse("good 1\n{code=\"500\"} 2\nbad{code=\"500} 3\nworse twelve\nalso_good{a=\"b\"} 4\n");

        exposition.Samples.Select(s => s.Name).ShouldBe(["good", "also_good"]);
        exposition.Errors.ShouldBe(["line 2: expected a metric name", "line 3: unterminated value of label code", "line 4: expected a value after worse"]);
    }
}
