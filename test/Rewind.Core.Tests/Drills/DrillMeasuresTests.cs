using Rewind.Core.Configuration;
using Rewind.Core.Drills;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Drills;

public sealed class DrillMeasuresTests
{
    private static readonly DateTimeOffset Fault = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    private static readonly DrillTargetsConfig Targets = new() { Detect = TimeSpan.FromMinutes(2), Decide = TimeSpan.FromSeconds(30), Rollback = TimeSpan.FromMinutes(5), Recover = TimeSpan.FromMinutes(5), Rpo = TimeSpan.Zero };

    [Fact]
    public void Of_DetectedAndRolledBackInTime_PassesEveryTarget()
    {
        var incident = Incident("INC-1", "web", Fault.AddSeconds(40), Rollback("RB-1", "web", Fault.AddSeconds(45), Fault.AddSeconds(100), RollbackStatus.Succeeded));

        var measures = DrillMeasures.Of(Fault, [incident], new DrillDataLoss(100, 100, 0, TimeSpan.Zero, null, null), Targets);

        measures.Select(m => (m.Name, m.Measured, m.Verdict)).ShouldBe([
            ("detect", TimeSpan.FromSeconds(40), DrillVerdict.Pass),
            ("decide", TimeSpan.FromSeconds(5), DrillVerdict.Pass),
            ("rollback", TimeSpan.FromSeconds(55), DrillVerdict.Pass),
            ("recover", TimeSpan.FromSeconds(100), DrillVerdict.Pass),
            ("rpo", TimeSpan.Zero, DrillVerdict.Pass),
        ]);
        DrillMeasures.Outcome(measures).ShouldBe(DrillRunStatus.Passed);
    }

    [Fact]
    public void Of_GroupWithTwoIncidents_RecoverIsTheLastAndRollbackTheLongest()
    {
        var web = Incident("INC-1", "web", Fault.AddSeconds(10), Rollback("RB-1", "web", Fault.AddSeconds(11), Fault.AddSeconds(30), RollbackStatus.Succeeded));
        var db = Incident("INC-2", "db", Fault.AddSeconds(20), Rollback("RB-2", "db", Fault.AddSeconds(25), Fault.AddSeconds(400), RollbackStatus.Succeeded));

        var measures = DrillMeasures.Of(Fault, [db, web], null, new DrillTargetsConfig { Recover = TimeSpan.FromMinutes(5) });

        measures.Single(m => m.Name == "detect").Measured.ShouldBe(TimeSpan.FromSeconds(10));
        measures.Single(m => m.Name == "rollback").Measured.ShouldBe(TimeSpan.FromSeconds(375));
        var recover = measures.Single(m => m.Name == "recover");
        recover.Measured.ShouldBe(TimeSpan.FromSeconds(400));
        recover.Verdict.ShouldBe(DrillVerdict.Fail);
        recover.Span.ShouldContain("incident INC-2 of db recovered");
        DrillMeasures.Outcome(measures).ShouldBe(DrillRunStatus.Failed);
    }

    [Fact]
    public void Of_NothingDetected_FailsEvenWithoutTargets()
    {
        var measures = DrillMeasures.Of(Fault, [], null, new DrillTargetsConfig());

        measures.ShouldAllBe(m => m.Measured == null && m.Verdict == DrillVerdict.NotJudged);
        measures[0].Span.ShouldBe("not measured: no incident was opened on the drill's components");
        DrillMeasures.Outcome(measures).ShouldBe(DrillRunStatus.Failed, "a drill nobody noticed is not a pass");
    }

    [Fact]
    public void Of_DataLost_MissesAZeroRpo()
    {
        var incident = Incident("INC-1", "web", Fault.AddSeconds(5), Rollback("RB-1", "web", Fault.AddSeconds(6), Fault.AddSeconds(20), RollbackStatus.Succeeded));

        var measures = DrillMeasures.Of(Fault, [incident], new DrillDataLoss(30, 25, 8, TimeSpan.FromSeconds(9), Fault.AddSeconds(1), Fault.AddSeconds(9)), Targets);

        var rpo = measures.Single(m => m.Name == "rpo");
        rpo.Measured.ShouldBe(TimeSpan.FromSeconds(9));
        rpo.Verdict.ShouldBe(DrillVerdict.Fail);
        rpo.Span.ShouldStartWith("8 of 25 acknowledged writes lost");
    }

    [Fact]
    public void Of_RollbackFailedButIncidentResolvedByAPerson_RecoversAtTheResolution()
    {
        var failed = Rollback("RB-1", "web", Fault.AddSeconds(6), Fault.AddSeconds(20), RollbackStatus.Failed);
        var incident = Incident("INC-1", "web", Fault.AddSeconds(5), failed) with { Incident = new Incident("INC-1", "web", Severity.P2, IncidentStatus.Resolved, "t", "p", Fault.AddSeconds(5), Fault.AddSeconds(90)) };

        var measures = DrillMeasures.Of(Fault, [incident], null, new DrillTargetsConfig());

        measures.Single(m => m.Name == "rollback").Span.ShouldStartWith("not measured: rollback RB-1 failed");
        measures.Single(m => m.Name == "recover").Measured.ShouldBe(TimeSpan.FromSeconds(90));
    }

    private static IncidentRecord Incident(string id, string component, DateTimeOffset opened, params Rollback[] rollbacks) =>
        new(new Incident(id, component, Severity.P2, IncidentStatus.Investigating, "t", "p", opened), [], rollbacks, null);

    private static Rollback Rollback(string id, string component, DateTimeOffset requested, DateTimeOffset finished, RollbackStatus status) =>
        new(id, component, "INC", "v2", "v1", status, "policy", "policy:p", requested, [], requested, finished);
}
