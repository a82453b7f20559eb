using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Configuration;

public sealed class ApprovalStepConfigTests
{
    private const string Provider = """
            provider:
              command: { switch: [./bin/orders-db, restore, --to, "{{target.version}}"] }
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        """;

    private static ConfigResult Parse(string component) => ConfigParser.Parse($"components:\n  orders:\n{Provider}\n{component}", "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_ApprovalStep_ResolvesWithItsMessageFilledAndDefaults()
    {
        var result = Parse("""
                plan:
                  - name: data safety
                    approval: { any-of: [dba], decide-within: 10m, message: "Restore the orders database to {{target.version}}?" }
                  - approval: { all-of: [tech-lead, devops-lead], two-person: false, second-factor: true, on-timeout: escalate-and-wait }
                  - switch: {}
            """);

        result.Errors.ShouldBeEmpty();
        var gate = result.Config!.Components["orders"].Plan![0].Approval.ShouldNotBeNull();
        (gate.TwoPerson, gate.SecondFactor, gate.OnTimeout, gate.SkipInEmergency).ShouldBe((true, false, GateTimeout.Fail, false));
        var plan = Plan(result, emergency: false);
        plan.Steps.Select(s => s.Kind).ShouldBe(["approval", "approval", "command"]);
        plan.Steps.Select(s => s.Describe()).Take(2).ShouldBe([
            "data safety: approval gate \"Restore the orders database to v1?\": needs an approval by any of dba, not the requester's own; decide within 10m, then fail",
            "approval gate \"Continue the rollback of orders to v1?\": needs approvals by different people holding tech-lead, devops-lead, with a second factor; decide within 15m, then escalate and keep waiting",
        ]);
    }

    [Fact]
    public void Plan_Emergency_KeepsGatesUnlessTheySaySkipInEmergency()
    {
        var result = Parse("""
                plan:
                  - approval: { any-of: [dba], message: "Data safety: restore {{component}}?" }
                  - approval: { any-of: [approver], skip-in-emergency: true }
                  - switch: {}
            """);

        result.Errors.ShouldBeEmpty();
        Plan(result, emergency: false).Steps.Select(s => s.Kind).ShouldBe(["approval", "approval", "command"]);
        Plan(result, emergency: true).Steps.Select(s => s.Describe()[..35]).ShouldBe(["approval gate \"Data safety: restore", "switch by argv [\"/etc/rewind/bin/or"]);
    }

    [Fact]
    public void Parse_BadApprovalSteps_ReportEveryFailureWithItsPosition()
    {
        var result = Parse("""
                plan:
                  - approval: { any-of: [DBA], decide-within: 0s, on-timeout: proceed }
                  - approval: { message: "Restore {{member}} with {{secret.DB_PASSWORD}}?", on-timeout: never }
                  - approval: { message: "Token {{secret.DB_PASSWORD}}?" }
                  - { approval: {}, switch: {} }
                  - switch: {}
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:8:29: components.orders.plan[0].approval: role 'DBA': lower-case letters, digits and '-', starting with a letter",
            "rewind.yaml:8:51: components.orders.plan[0].approval.decide-within: must be positive",
            "rewind.yaml:8:67: components.orders.plan[0].approval.on-timeout: proceed applies only to rollbacks an auto-mode policy asks for, and this component has none; use fail or escalate-and-wait",
            "rewind.yaml:9:30: components.orders.plan[1].approval.message: unknown placeholder {{member}}; known: {{component}}, {{target.version}}, {{from.version}}, {{target.schema}}, {{from.schema}}, {{from.recorded-at}}, {{target.recorded-at}}, {{secret.NAME}} (an environment variable of the controller)",
            "rewind.yaml:9:93: components.orders.plan[1].approval.on-timeout: expected one of fail, escalate-and-wait, proceed, found 'never'",
            "rewind.yaml:10:30: components.orders.plan[2].approval.message: no secrets in the message (it is written on the timeline and sent to channels)",
            "rewind.yaml:11:9: components.orders.plan[3]: declare exactly one kind: switch, command, http, wait-healthy, batch, cache-flush, notify, parallel, approval, traffic, maintenance, migrate-down, snapshot or restore",
        ]);
    }

    [Fact]
    public void Parse_ProceedWithAnAutoModePolicy_IsAccepted()
    {
        var result = Parse("""
                policies:
                  down: { when: { probe: health, failing-for: 30s }, severity: P1, mode: auto }
                plan:
                  - approval: { any-of: [dba], decide-within: 5m, on-timeout: proceed }
                  - switch: {}
            """);

        result.Errors.ShouldBeEmpty();
        Plan(result, emergency: false).Steps[0].Describe().ShouldEndWith("decide within 5m, then proceed if an auto-mode policy asked for the rollback, else fail");
    }

    private static PlanResult Plan(ConfigResult result, bool emergency) =>
        RollbackPlanner.Plan("orders", result.Config!.Components["orders"], new ComponentState("orders", "command", "v2", null), [Stable("v1"), Stable("v2")], null, emergency);

    private static Release Stable(string version) => new("orders", version, ReleaseState.Stable, new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero), null, null, "ci");
}
