using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Configuration;

/// <summary>Components and command steps that name a host: parsed, checked, and planned as steps for that host's agent.</summary>
public sealed class HostConfigTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_ComponentOnAHost_DefaultsToWaitingTwoMinutesForItsAgent()
    {
        var result = ConfigParser.Parse(Config("host: app-1"), "r.yaml", "/");

        result.Errors.ShouldBeEmpty();
        var web = result.Config!.Components["web"];
        (web.Host, web.Unreachable.Wait).ShouldBe(("app-1", TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void Plan_ComponentOnAHost_HandsTheSwitchAndRestartToItsAgent_AndWaitsForHealthHere()
    {
        var web = ConfigParser.Parse(Config("host: app-1\n    unreachable: { wait: 30s }"), "r.yaml", "/").Config!.Components["web"];

        var plan = RollbackPlanner.Plan("web", web, new ComponentState("web", "release-dir", "v2", T0), [Stable("v1"), new Release("web", "v2", ReleaseState.Baking, T0.AddMinutes(1))], new PlanOptions());

        plan.Steps.Select(s => s.Describe()).ShouldBe(
        [
            "on app-1 by its agent (unreachable after 30s): switch /srv/web/current -> releases/v1 (was releases/v2; atomic rename)",
            "on app-1 by its agent (unreachable after 30s): restart argv [\"systemctl\", \"restart\", \"web\"] in /srv/web (timeout 1m)",
            "wait-healthy probes [health: GET http://127.0.0.1:8080/health expect 200]: 3 consecutive passes within 1m",
        ]);
        plan.Steps[0].IsSwitch.ShouldBeTrue();
        PlanStepJson.Deserialize(PlanStepJson.Serialize(plan.Steps[1])).ShouldBeOfType<OnHostStep>().Step.ShouldBeOfType<RestartStep>().Argv.ShouldBe(["systemctl", "restart", "web"]);
    }

    [Fact]
    public void Plan_CommandStepForAHost_IsHandedToThatHostsAgent_TheRestStayHere()
    {
        var web = ConfigParser.Parse(Config("plan: [ { switch: {} }, { name: purge, command: { argv: [/usr/local/bin/purge-cache], host: cache-1 } }, { wait-healthy: {} } ]"), "r.yaml", "/").Config!.Components["web"];

        var plan = RollbackPlanner.Plan("web", web, new ComponentState("web", "release-dir", "v2", T0), [Stable("v1")], new PlanOptions());

        plan.Steps.Select(s => s.Kind).ShouldBe(["switch", "restart", "on-host", "wait-healthy"]);
        plan.Steps[2].Describe().ShouldBe("on cache-1 by its agent (unreachable after 2m): purge: argv [\"/usr/local/bin/purge-cache\"] in / (timeout 1m, accept exit 0)");
    }

    [Theory]
    [InlineData("host: App_1", "components.web.host: 'App_1' is not a host name")]
    [InlineData("host: app-1\n    unreachable: { wait: soon }", "components.web.unreachable.wait: expected a duration")]
    [InlineData("host: app-1\n    version-source: { release-dir: true }", "components.web.version-source.release-dir: the controller cannot read the link on app-1")]
    [InlineData("plan: [ { command: { argv: [x], host: 'a b' } } ]", "components.web.plan[0].command.host: 'a b' is not a host name")]
    public void Parse_BadHost_IsReportedWithItsPosition(string yaml, string expected)
    {
        var result = ConfigParser.Parse(Config(yaml), "r.yaml", "/");

        result.Config.ShouldBeNull();
        result.Errors.ShouldContain(e => e.Line >= 13 && e.ToString().Contains(expected, StringComparison.Ordinal), string.Join("\n", result.Errors));
    }

    [Fact]
    public void Parse_HttpComponentOnAHost_IsRefused()
    {
        var result = ConfigParser.Parse(
            """
            store: sqlite:rewind.db
            components:
              api:
                host: app-1
                provider:
                  http: { url: "https://deploy.example/rollback" }
                probes:
                  health:
                    http: { url: "http://127.0.0.1:8080/health" }
            """,
            "r.yaml",
            "/");

        result.Errors.ShouldContain(e => e.ToString().Contains("components.api.host: an http provider is called from the controller, not from a host's agent", StringComparison.Ordinal), string.Join("\n", result.Errors));
    }

    [Fact]
    public void Plan_Fleet_IsOneStepHandingEachHostItsOwnSwitchAndRestart()
    {
        var result = ConfigParser.Parse(
            Config("hosts: [app-1, app-2, app-3]\n    fleet: { concurrency: 2, max-failed: 1 }\n    unreachable: { wait: 10s, then: skip }").Replace("path: /srv/web,", "path: \"/srv/{{host}}/web\",", StringComparison.Ordinal).Replace("restart, web]", "restart, \"web-{{host}}\"]", StringComparison.Ordinal),
            "r.yaml",
            "/");
        result.Errors.ShouldBeEmpty();

        var plan = RollbackPlanner.Plan("web", result.Config!.Components["web"], new ComponentState("web", "release-dir", "v2", T0), [Stable("v1")], new PlanOptions());

        plan.Steps.Select(s => s.Kind).ShouldBe(["fleet", "wait-healthy"]);
        var fleet = plan.Steps[0].ShouldBeOfType<FleetStep>();
        fleet.IsSwitch.ShouldBeTrue();
        (fleet.Concurrency, fleet.MaxFailed, fleet.UnreachableWait, fleet.Then).ShouldBe((2, 1, TimeSpan.FromSeconds(10), UnreachableAction.Skip));
        fleet.Hosts.Select(h => h.OnHost.Describe()).ShouldBe(
        [
            "switch /srv/app-1/web/current -> releases/v1 (was releases/v2; atomic rename); then restart argv [\"systemctl\", \"restart\", \"web-app-1\"] in /srv/app-1/web (timeout 1m)",
            "switch /srv/app-2/web/current -> releases/v1 (was releases/v2; atomic rename); then restart argv [\"systemctl\", \"restart\", \"web-app-2\"] in /srv/app-2/web (timeout 1m)",
            "switch /srv/app-3/web/current -> releases/v1 (was releases/v2; atomic rename); then restart argv [\"systemctl\", \"restart\", \"web-app-3\"] in /srv/app-3/web (timeout 1m)",
        ]);
        fleet.Describe().ShouldStartWith("on 3 host(s) [app-1, app-2, app-3] by their agents, 2 at a time, up to 1 may fail, an unreachable one skipped after 10s; on app-1: switch /srv/app-1/web/current");
        PlanStepJson.Deserialize(PlanStepJson.Serialize(fleet)).ShouldBeOfType<FleetStep>().Hosts[2].Steps[0].ShouldBeOfType<SwitchStep>().Root.ShouldBe("/srv/app-3/web");
    }

    [Theory]
    [InlineData("host: app-1\n    hosts: [app-2]", "components.web: declare host (one host) or hosts (a fleet), not both")]
    [InlineData("hosts: [app-1, app-1]", "components.web.hosts: app-1 is listed twice")]
    [InlineData("hosts: [app-1, Bad]", "components.web.hosts: 'Bad' is not a host name")]
    [InlineData("hosts: [app-1, app-2]\n    fleet: { concurrency: 0 }", "components.web.fleet.concurrency: from 1 to 100")]
    [InlineData("hosts: [app-1, app-2]\n    fleet: { max-failed: 2 }", "components.web.fleet.max-failed: from 0 to one less than the number of hosts")]
    [InlineData("host: app-1\n    unreachable: { then: skip }", "components.web.unreachable.then: skip applies to a fleet (hosts:)")]
    public void Parse_BadFleet_IsReported(string yaml, string expected)
    {
        var result = ConfigParser.Parse(Config(yaml), "r.yaml", "/");

        result.Config.ShouldBeNull();
        result.Errors.ShouldContain(e => e.ToString().Contains(expected, StringComparison.Ordinal), string.Join("\n", result.Errors));
    }

    [Fact]
    public void Plan_RestoreOfAClusterOnAHost_SnapshotAndRestoreAreHandedToThatHostsAgent_TheGateStaysHere()
    {
        var config = ConfigParser.Parse(Config("plan:\n      - { snapshot: { component: db } }\n      - { command: { argv: [\"true\"] } }\n      - { restore: { component: db } }\n      - { switch: {} }") + Db, "r.yaml", "/");
        config.Errors.ShouldBeEmpty();

        var plan = RollbackPlanner.Plan("web", config.Config!.Components["web"], new ComponentState("web", "release-dir", "v2", T0), [Stable("v1"), new Release("web", "v2", ReleaseState.Baking, T0.AddMinutes(1))], new PlanOptions());

        plan.Refusal.ShouldBeNull();
        plan.Steps[0].ShouldBe(new OnHostStep("db-1", new SnapshotStep("db", "restore-point"), TimeSpan.FromSeconds(45)));
        plan.Steps[1].ShouldBeOfType<CommandStep>(); // no host: here
        plan.Steps[2].ShouldBeOfType<ApprovalStep>(); // people approve at the controller
        plan.Steps[3].ShouldBeOfType<OnHostStep>().Step.ShouldBe(new DatabaseRestoreStep("db", "rewind-release-web-v2"));
        plan.Steps[3].ShouldBeOfType<OnHostStep>().Host.ShouldBe("db-1");
        plan.Steps[4].ShouldBeOfType<SwitchStep>(); // web itself is on the controller's host
    }

    [Fact]
    public void Parse_ClusterOnAHostWithBackups_IsValid_ButAFleetWithBackupsIsNot()
    {
        ConfigParser.Parse(Config("") + Db, "r.yaml", "/").Errors.ShouldBeEmpty();

        var fleet = ConfigParser.Parse(Config("hosts: [app-1, app-2]\n    backups: { repository: /var/lib/rewind/web }"), "r.yaml", "/");

        fleet.Errors.ShouldContain(e => e.ToString().Contains("components.web.backups: a fleet's hosts are rolled back alike, not backed up alike", StringComparison.Ordinal), string.Join("\n", fleet.Errors));
    }

    [Fact]
    public void Parse_HostPlaceholderWithoutAFleet_IsReported()
    {
        var result = ConfigParser.Parse(Config("host: app-1").Replace("path: /srv/web,", "path: \"/srv/{{host}}/web\",", StringComparison.Ordinal), "r.yaml", "/");

        result.Errors.ShouldContain(e => e.ToString().Contains("components.web.provider.release-dir: {{host}} is filled with each host's name only for a fleet (hosts:)", StringComparison.Ordinal), string.Join("\n", result.Errors));
    }

    private const string Db = """

          db:
            host: db-1
            unreachable: { wait: 45s }
            provider: { postgres: { url: "postgres://postgres@db-1.internal:5432/postgres", data-directory: /var/lib/postgresql/15/main } }
            backups: { repository: /var/lib/rewind/db, schedule: "0 0 3 * * ?" }
        """;

    private static Release Stable(string version) => new("web", version, ReleaseState.Stable, T0, StableAt: T0.AddMinutes(0.5));

    private static string Config(string extra) => $$"""
        store: sqlite:rewind.db
        components:
          web:
            provider:
              release-dir: { path: /srv/web, restart: [systemctl, restart, web] }
            probes:
              health:
                http: { url: "http://127.0.0.1:8080/health" }
            policies: {}
            bake-time: 5m
            healthy-timeout: 1m
            healthy-successes: 3
            {{extra}}
        """;
}
