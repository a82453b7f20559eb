using Rewind.Core.Incidents;
using Rewind.Core.Signals;

namespace Rewind.Core.Tests.Incidents;

public sealed class IncidentReportSignalsTests
{
    [Fact]
    public void ToMarkdown_WithSignals_HasAvailabilityAndLatencyPerProbeAndPeriod()
    {
        var record = SampleRecords.AutomaticRollback();
        var opened = SampleResolution.Minute.Floor(record.Incident.OpenedAt);
        var samples = Enumerable.Range(0, 60).Select(i => new ProbeSample("web", "http", opened.AddSeconds(i * 5), i % 4 != 0, 10 + i)).ToList();
        var signals = new[]
        {
            new SignalPeriod("http", "before", opened.AddMinutes(-30), opened, SampleResolution.Minute, null),
            new SignalPeriod("http", "during", opened, opened.AddMinutes(5), SampleResolution.Minute, SampleBucket.Of("http", opened, SampleResolution.Minute, samples)),
        };

        var report = IncidentReport.ToMarkdown(record with { Signals = signals });

        report.ShouldContain("## Signals");
        report.ShouldContain("| http | before |");
        report.ShouldContain("| 0 | - | - | - |");
        report.ShouldContain("| 60 | 75.00 % | 50 ms | 69 ms |");
        report.IndexOf("## Signals", StringComparison.Ordinal).ShouldBeLessThan(report.IndexOf("## Timeline", StringComparison.Ordinal));
    }

    [Fact]
    public void ToMarkdown_WithoutSignalsRead_HasNoSignalsSection()
    {
        IncidentReport.ToMarkdown(SampleRecords.AutomaticRollback()).ShouldNotContain("## Signals");
    }
}
