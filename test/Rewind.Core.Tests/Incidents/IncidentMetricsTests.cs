using Rewind.Core.Incidents;

namespace Rewind.Core.Tests.Incidents;

public sealed class IncidentMetricsTests
{
    private static readonly DateTimeOffset T0 = SampleRecords.T0;

    [Fact]
    public void PerComponentAndOverall_HandMadeRecords_CountsRatesAndMeans()
    {
        IncidentRecord[] records =
        [
            SampleRecords.RolledBack("web", T0, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), succeeded: true),
            SampleRecords.RolledBack("web", T0.AddHours(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30), succeeded: false),
            SampleRecords.Manual("web", T0.AddHours(2), TimeSpan.FromMinutes(10), falsePositive: true),
            SampleRecords.RolledBack("api", T0.AddHours(3), TimeSpan.FromSeconds(6), TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(9), succeeded: true),
            SampleRecords.Manual("api", T0.AddHours(4), null),
        ];

        var rows = IncidentMetrics.PerComponentAndOverall(records);

        rows.Select(r => r.Component).ShouldBe(["api", "web", null]);
        var web = rows[1];
        web.Incidents.ShouldBe(3);
        (web.Rollbacks, web.RollbacksSucceeded, web.RollbacksFailed, web.RollbackSuccessRate).ShouldBe((2, 1, 1, 0.5));
        web.MeanTimeToDetect.ShouldBe(TimeSpan.FromSeconds(3)); // (2 + 4) / 2; the manual incident has no release
        web.MeanTimeToRollBack.ShouldBe(TimeSpan.FromSeconds(2)); // (1 + 3) / 2
        web.MeanTimeToRecover.ShouldBe(TimeSpan.FromSeconds(303)); // 6 s and 10 min; the failed one is unresolved
        (web.Resolved, web.FalsePositives, web.FalsePositiveRate).ShouldBe((2, 1, 0.5));
        var api = rows[0];
        (api.Incidents, api.RollbackSuccessRate, api.MeanTimeToDetect, api.MeanTimeToRecover).ShouldBe((2, 1.0, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(9)));
        (api.Resolved, api.FalsePositiveRate).ShouldBe((1, 0.0));
        var all = rows[2];
        (all.Incidents, all.Rollbacks, all.RollbacksSucceeded, all.Resolved, all.FalsePositives).ShouldBe((5, 3, 2, 3, 1));
        all.RollbackSuccessRate!.Value.ShouldBe(2.0 / 3, 1e-12);
        all.FalsePositiveRate!.Value.ShouldBe(1.0 / 3, 1e-12);
        all.MeanTimeToDetect.ShouldBe(TimeSpan.FromSeconds(4));
        all.MeanTimeToRecover.ShouldBe(TimeSpan.FromSeconds((6 + 600 + 9) / 3.0));
    }

    [Fact]
    public void PerComponentAndOverall_NothingToCount_RatesAndMeansAreNull()
    {
        var rows = IncidentMetrics.PerComponentAndOverall([SampleRecords.Manual("web", T0, null)]);

        rows.Count.ShouldBe(2);
        rows[1].ShouldBe(new IncidentMetrics(null, 1, 0, 0, 0, null, null, null, null, 0, 0, null));
    }

    [Fact]
    public void PerComponentAndOverall_NoRecords_OnlyAnEmptyOverallRow()
    {
        IncidentMetrics.PerComponentAndOverall([]).ShouldBe([new IncidentMetrics(null, 0, 0, 0, 0, null, null, null, null, 0, 0, null)]);
    }
}
