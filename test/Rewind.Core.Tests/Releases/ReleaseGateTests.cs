using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Releases;

public sealed class ReleaseGateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Check_UnknownVersion_AllowsANewRelease()
    {
        var verdict = ReleaseGate.Check("web", "v3", null);

        verdict.ShouldBe(new ReleaseVerdict(true, null, null, "not recorded yet: a new release"));
    }

    [Theory]
    [InlineData(ReleaseState.Deploying)]
    [InlineData(ReleaseState.Baking)]
    [InlineData(ReleaseState.Stable)]
    public void Check_NotBadNorRolledBack_Allows(ReleaseState state)
    {
        var verdict = ReleaseGate.Check("web", "v1", Release(state));

        verdict.Allowed.ShouldBeTrue();
        verdict.State.ShouldBe(state);
        verdict.Reason.ShouldStartWith(ReleaseStateMachine.Describe(state) + ":");
    }

    [Fact]
    public void Check_RolledBack_RefusesNamingTheRollbackWhenAndTheIncident()
    {
        var verdict = ReleaseGate.Check("web", "v2", Release(ReleaseState.RolledBack, "INC-2026-11-22-0001"), Rollback("INC-2026-11-22-0001"));

        verdict.Allowed.ShouldBeFalse();
        verdict.State.ShouldBe(ReleaseState.RolledBack);
        verdict.Incident.ShouldBe("INC-2026-11-22-0001");
        verdict.Reason.ShouldBe("v2 of web was rolled back by RB-2026-11-22-0001 at 2026-11-22 10:05:00.000Z in incident INC-2026-11-22-0001; deploying it again would bring the fault back. Fix forward with a new version.");
    }

    [Fact]
    public void Check_RolledBackWithoutRecords_StillRefuses()
    {
        var verdict = ReleaseGate.Check("web", "v2", Release(ReleaseState.RolledBack));

        verdict.Allowed.ShouldBeFalse();
        verdict.Incident.ShouldBeNull();
        verdict.Reason.ShouldStartWith("v2 of web was rolled back; deploying it again would bring the fault back.");
    }

    [Fact]
    public void Check_Bad_RefusesNamingTheIncident()
    {
        var verdict = ReleaseGate.Check("web", "v2", Release(ReleaseState.Bad, "INC-2026-11-22-0002"));

        verdict.Allowed.ShouldBeFalse();
        verdict.State.ShouldBe(ReleaseState.Bad);
        verdict.Incident.ShouldBe("INC-2026-11-22-0002");
        verdict.Reason.ShouldBe("v2 of web was marked bad in incident INC-2026-11-22-0002; deploying it again would bring the fault back. Fix forward with a new version.");
    }

    [Fact]
    public void Check_BadAfterARollback_NamesBoth()
    {
        var verdict = ReleaseGate.Check("web", "v2", Release(ReleaseState.Bad, "INC-2026-11-22-0001"), Rollback("INC-2026-11-22-0001"));

        verdict.Reason.ShouldStartWith("v2 of web was marked bad in incident INC-2026-11-22-0001 (rolled back by RB-2026-11-22-0001 at 2026-11-22 10:05:00.000Z);");
    }

    [Fact]
    public void Check_RolledBack_StaysRefusedBecauseNoStateLeadsBackToGood()
    {
        // A rolled-back or bad release cannot be marked good again: the only way forward is a new version.
        foreach (var refused in new[] { ReleaseState.Bad, ReleaseState.RolledBack })
        {
            foreach (var allowed in new[] { ReleaseState.Deploying, ReleaseState.Baking, ReleaseState.Stable })
            {
                ReleaseStateMachine.CanMove(refused, allowed).ShouldBeFalse();
            }
        }

        ReleaseGate.Refuses(ReleaseState.RolledBack).ShouldBeTrue();
    }

    private static Release Release(ReleaseState state, string? incident = null) =>
        new("web", "v2", state, T0, Incident: incident);

    private static Rollback Rollback(string? incident) =>
        new("RB-2026-11-22-0001", "web", incident, "v2", "v1", RollbackStatus.Succeeded, "test", "alice", T0, [], T0, T0.AddMinutes(5));
}
