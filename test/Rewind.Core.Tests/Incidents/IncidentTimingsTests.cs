using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Incidents;

public sealed class IncidentTimingsTests
{
    private static readonly DateTimeOffset T0 = SampleRecords.T0;

    [Fact]
    public void Of_AutomaticRollback_MeasuresEachIntervalFromTheRecord()
    {
        var timings = IncidentTimings.Of(SampleRecords.AutomaticRollback());

        timings.Detect.Duration.ShouldBe(TimeSpan.FromMilliseconds(1350));
        timings.Detect.Span.ShouldBe("from web v2 recorded as deployed (2026-11-22 11:24:10.000Z) to the incident opened (2026-11-22 11:24:11.350Z)");
        timings.Decide.Duration.ShouldBe(TimeSpan.FromMilliseconds(50));
        timings.RollBack.Duration.ShouldBe(TimeSpan.FromMilliseconds(75));
        timings.RollBack.Span.ShouldBe("from rollback RB-2026-11-22-0001 requested (2026-11-22 11:24:11.400Z) to its switch step finished (2026-11-22 11:24:11.475Z)");
        timings.Recover.Duration.ShouldBe(TimeSpan.FromMilliseconds(1750));
        timings.Recover.Span.ShouldEndWith("to rollback RB-2026-11-22-0001 succeeded (2026-11-22 11:24:13.100Z)");
    }

    [Fact]
    public void Of_ReleaseRecordedAgainAfterOpening_FallsBackToEvidenceBeforeOpeningElseNotMeasured()
    {
        var record = SampleRecords.AutomaticRollback();
        var redeployed = record with { Release = record.Release! with { RecordedAt = T0.AddMinutes(5) } };
        var withEarlyEvidence = redeployed with
        {
            Timeline = [new TimelineEvent(record.Incident.Id, T0.AddMilliseconds(900), TimelineKinds.Evidence, "policy health-down: failing", "policy:health-down"), .. record.Timeline],
        };

        IncidentTimings.Of(redeployed).Detect.Duration.ShouldBeNull();
        IncidentTimings.Of(redeployed).Detect.Span.ShouldBe("not measured: release v2 has no deployment recorded before the incident opened");
        IncidentTimings.Of(withEarlyEvidence).Detect.Duration.ShouldBe(TimeSpan.FromMilliseconds(450));
        IncidentTimings.Of(withEarlyEvidence).Detect.Span.ShouldStartWith("from the first failing evidence (2026-11-22 11:24:10.900Z)");
    }

    [Fact]
    public void Of_SwitchStepNeverFinished_RollBackNotMeasuredAndRecoveryFromResolution()
    {
        var record = SampleRecords.AutomaticRollback();
        var rollback = record.Rollbacks[0];
        var failed = rollback with
        {
            Status = RollbackStatus.Failed,
            Steps = [rollback.Steps[0] with { Status = StepStatus.Failed }, .. rollback.Steps.Skip(1).Select(s => s with { Status = StepStatus.Pending, StartedAt = null, FinishedAt = null })],
        };
        var resolvedByPerson = record with { Rollbacks = [failed], Incident = record.Incident with { ResolvedAt = T0.AddMinutes(10) } };

        var timings = IncidentTimings.Of(resolvedByPerson);

        timings.Decide.Duration.ShouldBe(TimeSpan.FromMilliseconds(50));
        timings.RollBack.Duration.ShouldBeNull();
        timings.RollBack.Span.ShouldBe("not measured: no step of RB-2026-11-22-0001 that puts the target in place (a switch, files, batch, the provider's command) finished");
        timings.Recover.Duration.ShouldBe(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1350));
        timings.Recover.Span.ShouldEndWith("to the incident resolved (2026-11-22 11:34:10.000Z)");
    }

    [Fact]
    public void Of_FilesComponent_MeasuresRollBackToItsFilesStep()
    {
        var record = SampleRecords.AutomaticRollback();
        var rollback = record.Rollbacks[0];
        var files = new FilesRestoreStep("/var/lib/rewind/files/site", ["/etc/site.conf"], "v1", "v2");
        var filesRollback = rollback with { Steps = [rollback.Steps[0] with { Plan = files }, .. rollback.Steps.Skip(1)] };

        var timings = IncidentTimings.Of(record with { Rollbacks = [filesRollback] });

        timings.RollBack.Duration.ShouldBe(TimeSpan.FromMilliseconds(75));
        timings.RollBack.Span.ShouldBe("from rollback RB-2026-11-22-0001 requested (2026-11-22 11:24:11.400Z) to its files step finished (2026-11-22 11:24:11.475Z)");
    }

    [Fact]
    public void Of_OpenIncidentWithoutReleaseOrRollback_MeasuresNothing()
    {
        var timings = IncidentTimings.Of(SampleRecords.Manual("web", T0, null));

        timings.All.Select(t => t.Duration).ShouldAllBe(d => d == null);
        timings.Recover.Span.ShouldBe("not measured: the incident is not resolved");
    }

    [Theory]
    [InlineData(0, "0.000 s")]
    [InlineData(1234, "1.234 s")]
    [InlineData(59_999, "59.999 s")]
    [InlineData(60_000, "1 min 00.000 s")]
    [InlineData(754_321, "12 min 34.321 s")]
    [InlineData(7_384_005, "2 h 03 min 04.005 s")]
    [InlineData(-1500, "-1.500 s")]
    public void Format_Milliseconds_AlwaysShownWithTheUnit(long milliseconds, string expected)
    {
        IncidentTimings.Format(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(expected);
    }
}
