using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Runbooks;

public sealed class RollbackPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private readonly ComponentConfig _web = new()
    {
        Provider = new ProviderConfig { ReleaseDir = new ReleaseDirConfig { Path = "/srv/web", Restart = ["/usr/bin/servicectl", "restart", "web"] } },
        Probes = new(StringComparer.Ordinal) { ["health"] = new ProbeConfig { Http = new HttpProbeConfig { Url = "http://127.0.0.1/health" } } },
        HealthySuccesses = 3,
        HealthyTimeout = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public void Plan_DefaultTarget_IsNewestStableOtherThanCurrent()
    {
        Release[] releases = [Stable("v1", 0), Stable("v2", 1), Baking("v3", 2)];

        var plan = RollbackPlanner.Plan("web", _web, State("v3"), releases, new PlanOptions());

        plan.Refusal.ShouldBeNull();
        plan.Target!.Version.ShouldBe("v2");
        plan.Steps.Select(s => s.Describe()).ShouldBe(
        [
            "switch /srv/web/current -> releases/v2 (was releases/v3; atomic rename)",
            "restart argv [\"/usr/bin/servicectl\", \"restart\", \"web\"] in /srv/web (timeout 1m)",
            "wait-healthy probes [health: GET http://127.0.0.1/health expect 200]: 3 consecutive passes within 1m",
        ]);
    }

    [Fact]
    public void Plan_NoStableRelease_IsRefused()
    {
        var plan = RollbackPlanner.Plan("web", _web, State("v2"), [Baking("v1", 0), Baking("v2", 1)], new PlanOptions());

        plan.IsRefused.ShouldBeTrue();
        plan.Refusal!.ShouldContain("no known-good release");
        plan.Steps.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(ReleaseState.Bad)]
    [InlineData(ReleaseState.RolledBack)]
    [InlineData(ReleaseState.Baking)]
    public void Plan_RequestedTargetNotKnownGood_IsRefused(ReleaseState state)
    {
        var releases = new[] { Stable("v1", 0) with { State = state }, Baking("v2", 1) };

        var plan = RollbackPlanner.Plan("web", _web, State("v2"), releases, "v1");

        plan.Refusal!.ShouldContain("not known good");
    }

    [Fact]
    public void Plan_TargetIsCurrent_IsRefused()
    {
        var plan = RollbackPlanner.Plan("web", _web, State("v1"), [Stable("v1", 0)], "v1");

        plan.Refusal.ShouldBe("web is already on v1");
    }

    [Fact]
    public void Plan_OnlyStableReleaseIsTheCurrentOne_HasNoTarget()
    {
        var plan = RollbackPlanner.Plan("web", _web, State("v1"), [Stable("v1", 0)], new PlanOptions());

        plan.IsRefused.ShouldBeTrue();
    }

    private static ComponentState State(string current) => new("web", "release-dir", current, T0);

    private static Release Stable(string version, int minutes) =>
        new("web", version, ReleaseState.Stable, T0.AddMinutes(minutes), StableAt: T0.AddMinutes(minutes + 0.5));

    private static Release Baking(string version, int minutes) => new("web", version, ReleaseState.Baking, T0.AddMinutes(minutes));
}
