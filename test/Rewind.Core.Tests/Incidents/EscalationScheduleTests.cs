using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;

namespace Rewind.Core.Tests.Incidents;

/// <summary>The escalation clock in virtual time: which levels are due, when, on what condition, and what comes next.</summary>
public sealed class EscalationScheduleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));

    private static readonly List<EscalationPolicyConfig> Policies =
    [
        new()
        {
            Name = "payments",
            When = new MatchConfig { Components = ["payments"] },
            Levels = [new() { After = TimeSpan.FromMinutes(5), Contacts = ["payments on-call"] }],
        },
        new()
        {
            When = new MatchConfig { Severity = [Severity.P0, Severity.P1] },
            Levels =
            [
                new() { After = TimeSpan.Zero, Contacts = ["primary"] },
                new() { After = TimeSpan.FromMinutes(15), If = EscalationCondition.Unacknowledged, Contacts = ["secondary"] },
                new() { After = TimeSpan.FromMinutes(30), If = EscalationCondition.Unresolved, Contacts = ["manager"] },
            ],
        },
    ];

    private Incident Open(string component = "web", Severity severity = Severity.P1) =>
        new("INC-2026-11-22-0001", component, severity, IncidentStatus.Investigating, "down", "health", _time.GetUtcNow());

    [Fact]
    public void Due_AsTheClockMoves_EachLevelAtItsTime()
    {
        var incident = Open();

        Levels(incident).ShouldBe([1]); // level 1 at opening
        incident = incident with { EscalationLevel = 1 };
        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromMilliseconds(1));
        Levels(incident).ShouldBeEmpty();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Levels(incident).ShouldBe([2]);
        incident = incident with { EscalationLevel = 2 };
        _time.Advance(TimeSpan.FromMinutes(15));
        Levels(incident).ShouldBe([3]);
        incident = incident with { EscalationLevel = 3 };
        _time.Advance(TimeSpan.FromHours(10));
        Levels(incident).ShouldBeEmpty(); // the last level is reached once
        EscalationSchedule.Next(Policies, incident).ShouldBeNull();
    }

    [Fact]
    public void Due_AfterADowntime_EveryMissedLevelInOrder()
    {
        var incident = Open();
        _time.Advance(TimeSpan.FromMinutes(45));

        Levels(incident).ShouldBe([1, 2, 3]);
        Levels(incident with { EscalationLevel = 2 }).ShouldBe([3]);
    }

    [Fact]
    public void Due_Acknowledged_PassesOverUnacknowledgedLevels()
    {
        var incident = Open() with { EscalationLevel = 1, AcknowledgedAt = _time.GetUtcNow(), AcknowledgedBy = "bob" };
        _time.Advance(TimeSpan.FromMinutes(20));

        Levels(incident).ShouldBeEmpty();
        var next = EscalationSchedule.Next(Policies, incident);
        next.ShouldNotBeNull();
        next.Value.Step.Level.ShouldBe(3);
        next.Value.At.ShouldBe(incident.OpenedAt + TimeSpan.FromMinutes(30));
        _time.Advance(TimeSpan.FromMinutes(10));
        Levels(incident).ShouldBe([3]);
    }

    [Fact]
    public void Due_Resolved_Nothing()
    {
        var incident = Open() with { Status = IncidentStatus.Resolved, ResolvedAt = _time.GetUtcNow() };
        _time.Advance(TimeSpan.FromHours(1));

        Levels(incident).ShouldBeEmpty();
        EscalationSchedule.Next(Policies, incident).ShouldBeNull();
    }

    [Fact]
    public void PolicyFor_FirstMatchWins_NoMatchNoPolicy()
    {
        EscalationSchedule.PolicyFor(Policies, Open("payments", Severity.P0))!.Value.Name.ShouldBe("payments");
        EscalationSchedule.PolicyFor(Policies, Open("web", Severity.P0))!.Value.Name.ShouldBe("escalation[1]");
        EscalationSchedule.PolicyFor(Policies, Open("web", Severity.P3)).ShouldBeNull();
        Levels(Open("web", Severity.P3)).ShouldBeEmpty();
    }

    [Fact]
    public void Reason_SaysConditionAndTime()
    {
        EscalationSchedule.Reason(Policies[1].Levels[0]).ShouldBe("not acknowledged: paged at opening");
        EscalationSchedule.Reason(Policies[1].Levels[1]).ShouldBe("not acknowledged 15m after opening");
        EscalationSchedule.Reason(Policies[1].Levels[2]).ShouldBe("not resolved 30m after opening");
        new EscalationStep("p", 2, Policies[1].Levels[1]).Describe().ShouldBe("level 2 (secondary)");
        new EscalationStep("p", 2, new EscalationLevelConfig()).Describe().ShouldBe("level 2");
    }

    [Fact]
    public void Milestone_RoundTrips()
    {
        TimelineMilestones.EscalationLevelOf(TimelineMilestones.EscalationLevel(12)).ShouldBe(12);
        TimelineMilestones.EscalationLevelOf(TimelineMilestones.RollbackFailed).ShouldBeNull();
        TimelineMilestones.EscalationLevelOf("level-x").ShouldBeNull();
        TimelineMilestones.EscalationLevelOf(null).ShouldBeNull();
    }

    private List<int> Levels(Incident incident) => [.. EscalationSchedule.Due(Policies, incident, _time.GetUtcNow()).Select(s => s.Level)];
}
