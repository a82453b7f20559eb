using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class DrillConfigTests
{
    private const string Head = """
        components:
          web:
            provider:
              release-dir: { path: /srv/web }
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
          db:
            provider:
              postgres: { url: "postgres://rewind@127.0.0.1:5432/shop", data-directory: /var/lib/postgresql/15/main }
        groups:
          shop: { components: [db, web] }
        """;

    private static ConfigResult Parse(string drills) => ConfigParser.Parse(Head + "\n" + drills, "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_EveryKey_BindsWithPathsResolved()
    {
        var result = Parse("""
            drills:
              bad-release:
                description: a release that fails its health check
                group: shop
                fault: { deploy: { version: v2-bad, component: web } }
                clear: { command: { argv: [./bin/flag, "off"] } }
                targets: { detect: 2m, decide: 30s, rollback: 5m, recover: 10m, rpo: 0s }
                data: { write: [./bin/mark, "{{mark}}"], read: [./bin/marks], interval: 500ms }
                schedule: "0 0 3 1 */3 ?"
                approvals: drill
                timeout: 20m
              down:
                component: web
                fault: { stop: { pid-file: run/web.pid, signal: KILL } }
            """);

        result.Errors.ShouldBeEmpty();
        var drill = result.Config!.Drills["bad-release"];
        drill.Group.ShouldBe("shop");
        drill.Fault.Deploy!.Version.ShouldBe("v2-bad");
        drill.Clear!.Command!.Argv.ShouldBe(["/etc/rewind/bin/flag", "off"]);
        drill.Targets.Detect.ShouldBe(TimeSpan.FromMinutes(2));
        drill.Targets.Rpo.ShouldBe(TimeSpan.Zero);
        drill.Data!.Write.ShouldBe(["/etc/rewind/bin/mark", "{{mark}}"]);
        drill.Data.Dir.ShouldBe("/etc/rewind");
        drill.Data.Interval.ShouldBe(TimeSpan.FromMilliseconds(500));
        drill.Approvals.ShouldBe(DrillApprovals.Drill);
        drill.Timeout.ShouldBe(TimeSpan.FromMinutes(20));
        result.Config.Drills["down"].Fault.Stop!.PidFile.ShouldBe("/etc/rewind/run/web.pid");
        result.Config.Drills["down"].Approvals.ShouldBe(DrillApprovals.AsConfigured);
    }

    [Fact]
    public void Parse_BadDrills_ReportsEveryFailureWithItsPosition()
    {
        var result = Parse("""
            drills:
              nothing:
                component: api
                fault: { command: { argv: [flip] }, http: { url: "http://127.0.0.1:1/fault" } }
              database:
                component: db
                fault: { deploy: { version: v2 } }
                targets: { rpo: 1m, detect: 0s }
              group:
                group: shop
                fault: { deploy: { version: v2 } }
                clear: { deploy: { version: v1 } }
                data: { write: [mark], read: [marks] }
                approvals: skip
                schedule: "every day"
                timeout: 1s
            """);

        result.Errors.Select(e => (e.Line, e.Message)).ShouldBe([
            (14, "drills.nothing.component: 'api' is not a component; expected one of: db, web"),
            (15, "drills.nothing.fault: declare exactly one of deploy, command, http or stop"),
            (18, "drills.database.fault.deploy: db is a PostgreSQL cluster; it has no releases to deploy. Hit the application that uses it"),
            (19, "drills.database.targets.detect: must be positive"),
            (19, "drills.database.targets.rpo: the data lost is measured only with data (postgres, or write and read commands)"),
            (22, "drills.group.fault.deploy.component: a group drill names the member the release is deployed to (db, web)"),
            (23, "drills.group.clear.deploy: a drill's clear step cannot deploy; the rollback puts the release back"),
            (24, "drills.group.data.write: name the mark to write with {{mark}}"),
            (26, "drills.group.schedule: 'every day' is not a cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?' for 03:00 UTC daily)"),
            (25, "drills.group.approvals: 'skip' is not as-configured (people approve, as in production) or drill (the drill approves, recorded)"),
            (27, "drills.group.timeout: 1s is outside 10s..24h"),
        ], ignoreOrder: true);
    }
}
