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

    [Fact]
    public void Plan_FromRecordedAt_IsWhenTheReleaseBeingLeftStartedDeploying()
    {
        var component = Restoring("--time", "{{from.recorded-at}}", "--before", "{{target.recorded-at}}");
        Release[] releases = [Stable("v1", 0) with { DeployStartedAt = T0 }, Baking("v2", 9) with { DeployStartedAt = T0.AddMinutes(5).AddTicks(4_567_891) }];

        var plan = RollbackPlanner.Plan("web", component, State("v2"), releases, new PlanOptions());

        plan.Refusal.ShouldBeNull();
        plan.Steps[0].Describe().ShouldStartWith("argv [\"/usr/bin/restore-db\", \"--time\", \"2026-11-22T03:05:00.456Z\", \"--before\", \"2026-11-22T03:00:00.000Z\"]");
    }

    [Theory]
    [InlineData(null, "web has no current release")]
    [InlineData("v9", "v9 is not a recorded release of web")]
    [InlineData("v2", "v2 has no recorded deploy start (it was only seen serving, or recorded before Rewind kept deploy start times)")]
    public void Plan_FromRecordedAtNotKnown_IsRefusedSayingWhy(string? current, string why)
    {
        var component = Restoring("--time", "{{from.recorded-at}}");
        Release[] releases = [Stable("v1", 0) with { DeployStartedAt = T0 }, Baking("v2", 9)];

        var plan = RollbackPlanner.Plan("web", component, current is null ? null : State(current), releases, "v1");

        plan.IsRefused.ShouldBeTrue();
        plan.Steps.ShouldBeEmpty();
        plan.Refusal!.ShouldStartWith($"the plan of web needs a time that is not known: {{{{from.recorded-at}}}} (when the release being left started deploying): {why}. A restore to a guessed time");
    }

    [Fact]
    public void Plan_ThatDoesNotUseTheDeployTimes_IsNotRefusedWhenTheyAreUnknown()
    {
        var plan = RollbackPlanner.Plan("web", Restoring("--to", "{{target.version}}"), State("v2"), [Stable("v1", 0), Baking("v2", 9)], new PlanOptions());

        plan.Refusal.ShouldBeNull();
    }

    /// <summary>The web component with a plan that restores its database by a command (the given arguments), then switches.</summary>
    private ComponentConfig Restoring(params string[] arguments) => new()
    {
        Provider = _web.Provider,
        Probes = _web.Probes,
        Plan = [new PlanStepConfig { Command = new CommandStepConfig { Argv = ["/usr/bin/restore-db", .. arguments] } }, new PlanStepConfig { Switch = new() }],
    };

    private static ComponentState State(string current) => new("web", "release-dir", current, T0);

    private static Release Stable(string version, int minutes) =>
        new("web", version, ReleaseState.Stable, T0.AddMinutes(minutes), StableAt: T0.AddMinutes(minutes + 0.5));

    private static Release Baking(string version, int minutes) => new("web", version, ReleaseState.Baking, T0.AddMinutes(minutes));
}
