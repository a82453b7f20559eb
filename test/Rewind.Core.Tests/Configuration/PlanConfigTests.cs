using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Configuration;

public sealed class PlanConfigTests
{
    private const string Probes = """
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        """;

    private static ConfigResult Parse(string component) => ConfigParser.Parse($"components:\n  functions:\n{component}\n{Probes}", "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_CommandProviderAndPlan_ResolvesToExactSteps()
    {
        var result = Parse("""
                provider:
                  command:
                    switch: [./bin/hosting, rollback, --site, "{{component}}", --to, "{{target.version}}"]
                    env: { HOSTING_TOKEN: "{{secret.HOSTING_TOKEN}}" }
                plan:
                  - http: { url: "https://status.example/api/maintenance", headers: { Authorization: "Bearer {{secret.STATUS_TOKEN}}" }, body: '{"on": true}' }
                  - switch: {}
                  - name: functions
                    batch:
                      members: { command: [fake-functions, list] }
                      argv: [fake-functions, rollback, "{{member}}", --to, "{{target.version}}"]
                      concurrency: 10
                      calls-per-minute: 600
                      max-failed: 5%
                  - command: { argv: [./bin/flush-cache, "{{component}}"], timeout: 10s, accept-exit: [0, 3] }
                  - wait-healthy: { timeout: 30s }
            """);

        result.Errors.ShouldBeEmpty();
        var component = result.Config!.Components["functions"];
        component.Provider.Kind.ShouldBe("command");
        var plan = RollbackPlanner.Plan("functions", component, new ComponentState("functions", "command", "v2", null), [Stable("v1"), Stable("v2")], new PlanOptions());

        plan.Refusal.ShouldBeNull();
        plan.Steps.Select(s => s.Kind).ShouldBe(["http", "command", "batch", "command", "wait-healthy"]);
        plan.Steps.Select(s => s.IsSwitch).ShouldBe([false, true, true, false, false]);
        plan.Steps.Select(s => s.Describe()).ShouldBe([
            "POST https://status.example/api/maintenance headers {Authorization: Bearer {{secret.STATUS_TOKEN}}} body 12 bytes expect 2xx (timeout 30s)",
            "switch by argv [\"/etc/rewind/bin/hosting\", \"rollback\", \"--site\", \"functions\", \"--to\", \"v1\"] env {HOSTING_TOKEN={{secret.HOSTING_TOKEN}}} in /etc/rewind (timeout 5m, accept exit 0)",
            "functions: batch over the members printed by argv [\"fake-functions\", \"list\"]: argv [\"fake-functions\", \"rollback\", \"{{member}}\", \"--to\", \"v1\"] per member; 50 per batch, 10 at once, at most 600 calls/min, 3 retries from 500ms doubling with jitter, quota errors back off (\"RESOURCE_EXHAUSTED\", \"429\", \"rate limit\", \"quota\"), fail above 5% failed members (call timeout 1m, step timeout 30m)",
            "argv [\"/etc/rewind/bin/flush-cache\", \"functions\"] in /etc/rewind (timeout 10s, accept exit 0, 3)",
            "wait-healthy probes [health: GET http://127.0.0.1:8080/health expect 200]: 3 consecutive passes within 30s",
        ]);
    }

    [Fact]
    public void Parse_BadPlan_ReportsEveryFailureWithItsPosition()
    {
        var result = Parse("""
                provider:
                  command: { switch: ["{{secret.TOOL}}", deploy], env: { "bad name": x } }
                plan:
                  - command: { argv: [notify, "{{member}}"] }
                  - http: { method: TRACE, url: "https://x.example/?token={{secret.T}}", expect-status: [700] }
                  - { switch: {}, command: { argv: [x] } }
                  - batch: { members: { list: [fn-1, -rf] }, argv: [fx, rollback], concurrency: 0, max-failed: 100% }
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:4:26: components.functions.provider.command.switch: the program (argv[0]) must be fixed, not a template",
            "rewind.yaml:4:62: components.functions.provider.command.env.bad name: not an environment variable name",
            "rewind.yaml:6:26: components.functions.plan[0].command.argv: unknown placeholder {{member}}; known: {{component}}, {{target.version}}, {{from.version}}, {{target.schema}}, {{from.schema}}, {{from.recorded-at}}, {{target.recorded-at}}, {{secret.NAME}} (an environment variable of the controller)",
            "rewind.yaml:7:25: components.functions.plan[1].http.method: one of GET, POST, PUT, PATCH, DELETE, HEAD",
            "rewind.yaml:7:37: components.functions.plan[1].http.url: no secrets in URLs (they end up in logs); put them in a header",
            "rewind.yaml:7:93: components.functions.plan[1].http.expect-status: statuses from 100 to 599",
            "rewind.yaml:8:9: components.functions.plan[2]: declare exactly one kind: switch, command, http, wait-healthy, batch, cache-flush, notify, parallel, approval, traffic, maintenance, migrate-down, snapshot or restore",
            "rewind.yaml:9:35: components.functions.plan[3].batch.members.list: '-rf' is not a member name (letters, digits and ._:@/+=-, not starting with '-')",
            "rewind.yaml:9:56: components.functions.plan[3].batch.argv: no {{member}}, so every call would do the same thing",
            "rewind.yaml:9:85: components.functions.plan[3].batch.concurrency: from 1 to 1000",
            "rewind.yaml:9:100: components.functions.plan[3].batch.max-failed: a fraction from 0 (no failure allowed) to below 1, e.g. 5%",
        ]);
    }

    [Fact]
    public void Parse_BadGroupsNoticesAndFlushes_ReportEveryFailure()
    {
        var result = Parse("""
                provider:
                  release-dir: { path: /srv/fx }
                plan:
                  - switch: {}
                  - parallel: [ { switch: {} }, { notify: { message: "token {{secret.T}}" } }, { cache-flush: { command: { argv: [x] }, http: { url: "https://cdn.example/purge" } } } ]
                  - parallel: [ { notify: { message: "alone" } } ]
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:7:21: components.functions.plan[1].parallel[0]: a switch step cannot run in parallel with others; put it before or after the group",
            "rewind.yaml:7:58: components.functions.plan[1].parallel[1].notify.message: no secrets in messages: they are sent to people and kept in the record",
            "rewind.yaml:7:99: components.functions.plan[1].parallel[2].cache-flush: declare exactly one of command or http",
            "rewind.yaml:8:19: components.functions.plan[2].parallel: at least two steps",
        ]);
    }

    [Fact]
    public void Parse_StepRetries_AreCheckedAndShownInTheDryRun()
    {
        var result = Parse("""
                provider:
                  release-dir: { path: /srv/fx }
                plan:
                  - switch: {}
                  - command: { argv: [./bin/purge], retries: 11, backoff: 0s }
            """);
        var good = Parse("""
                provider:
                  release-dir: { path: /srv/fx }
                plan:
                  - switch: {}
                  - http: { url: "https://cdn.example/purge", retries: 1 }
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:7:50: components.functions.plan[1].command.retries: from 0 to 10",
            "rewind.yaml:7:63: components.functions.plan[1].command.backoff: must be positive",
        ]);
        good.Errors.ShouldBeEmpty();
        RollbackPlanner.Plan("functions", good.Config!.Components["functions"], new ComponentState("functions", "release-dir", "v2", null), [Stable("v1"), Stable("v2")], new PlanOptions())
            .Steps[^1].Describe().ShouldBe("POST https://cdn.example/purge expect 2xx (timeout 30s, 1 retry from 1s doubling)");
    }

    [Fact]
    public void Parse_PlanThatMovesNothing_IsAnError()
    {
        var result = Parse("""
                provider:
                  release-dir: { path: /srv/fx }
                plan:
                  - wait-healthy: {}
            """);

        result.Errors.ShouldHaveSingleItem().ToString().ShouldBe("rewind.yaml:6:7: components.functions.plan: no switch, batch or traffic step, so nothing would move functions to the target release");
    }

    private static Release Stable(string version) => new("functions", version, ReleaseState.Stable, new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero), null, null, "ci");
}
