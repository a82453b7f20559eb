using Rewind.Core.Configuration;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Configuration;

public sealed class TrafficConfigTests
{
    private const string Probes = """
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        """;

    private static ConfigResult Parse(string component) => ConfigParser.Parse($"components:\n  web:\n{component}\n{Probes}", "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_TrafficAndMaintenanceSteps_ResolveToExactSteps()
    {
        var result = Parse("""
                provider:
                  release-dir: { path: /srv/web }
                plan:
                  - maintenance: { haproxy: { socket: "tcp:127.0.0.1:9999", backend: web }, servers: [web-green-1], state: drain }
                  - traffic:
                      haproxy: { socket: "unix:/run/haproxy/admin.sock", backend: web }
                      to: [web-blue-1]
                      from: [web-green-1]
                      gate: 10s
                      timeout: 2m
                  - name: green off
                    maintenance: { haproxy: { socket: "unix:run/admin.sock", backend: web }, servers: [web-green-1], state: maint }
            """);

        result.Errors.ShouldBeEmpty();
        var plan = RollbackPlanner.Plan("web", result.Config!.Components["web"], new ComponentState("web", "release-dir", "v2", null), [Stable("v1"), Stable("v2")], new PlanOptions());

        plan.Steps.Select(s => (s.Kind, s.IsSwitch)).ShouldBe([("maintenance", false), ("traffic", true), ("maintenance", false)]);
        plan.Steps.Select(s => s.Describe()).ShouldBe([
            "maintenance web via tcp:127.0.0.1:9999: [web-green-1] to drain (no new load-balanced traffic; health checks and persistent sessions go on)",
            "traffic web via unix:/run/haproxy/admin.sock: to [web-blue-1] from [web-green-1]: 25% (web-blue-1=64, web-green-1=192), 50% (web-blue-1=128, web-green-1=128), "
                + "75% (web-blue-1=192, web-green-1=64), 100% (web-blue-1=256, web-green-1=0); each stage only onto servers Up in HAProxy, then 10s gate; "
                + "a to server not Up in a gate, or the timeout (2m) after a stage, sets back the previous stage (before the first: 0% (web-blue-1=0, web-green-1=256)) and fails",
            "green off: maintenance web via unix:/etc/rewind/run/admin.sock: [web-green-1] to maint (no traffic, no health checks)",
        ]);
    }

    [Fact]
    public void Parse_TrafficStepWithoutOptionalKeys_TakesTheDocumentedDefaults()
    {
        var result = Parse("""
                provider:
                  release-dir: { path: /srv/web }
                plan:
                  - traffic: { haproxy: { socket: "unix:/run/haproxy/admin.sock", backend: web }, to: [b], from: [g] }
            """);

        result.Errors.ShouldBeEmpty();
        var traffic = result.Config!.Components["web"].Plan.ShouldNotBeNull().ShouldHaveSingleItem().Traffic.ShouldNotBeNull();
        (traffic.Gate, traffic.Timeout).ShouldBe((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)));
        traffic.Steps.ShouldBe([25, 50, 75, 100]);
    }

    [Fact]
    public void Parse_PlanWhoseOnlyMoveIsATrafficStep_IsValid()
    {
        var result = Parse("""
                provider:
                  release-dir: { path: /srv/web }
                plan:
                  - traffic: { haproxy: { socket: "tcp:127.0.0.1:9999", backend: web }, to: [b], from: [g], steps: [100], gate: 0s }
                  - wait-healthy: {}
            """);

        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_BadTrafficAndMaintenanceSteps_ReportEveryFailureWithItsPosition()
    {
        var result = Parse("""
                provider:
                  release-dir: { path: /srv/web }
                plan:
                  - traffic: { haproxy: { socket: "tcp:127.0.0.1", backend: "web;disable" }, to: [b1, b1], from: [g1, b1], steps: [50, 25] }
                  - traffic: { haproxy: { socket: "/run/admin.sock", backend: web }, to: [], from: ["g 1"], steps: [0, 50], gate: 10s, timeout: 0s }
                  - traffic: { haproxy: { socket: "unix:/a.sock", backend: web }, to: [b], from: [g], steps: [25, 50, 75], gate: 1m, timeout: 2m }
                  - traffic: { haproxy: { socket: "unix:/a.sock", backend: web }, to: [b], from: [g], steps: [50, 100], gate: 1m, timeout: 2m }
                  - maintenance: { haproxy: { backend: web }, servers: [] }
                  - { switch: {}, maintenance: { haproxy: { socket: "unix:/a.sock", backend: web }, servers: [g], state: ready } }
                  - maintenance: { haproxy: { socket: "unix:/a.sock", backend: web }, servers: [g], state: off }
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:6:39: components.web.plan[0].traffic.haproxy.socket: the host or the port is missing; expected unix:<socket path> or tcp:<host>:<port>",
            "rewind.yaml:6:65: components.web.plan[0].traffic.haproxy.backend: 'web;disable' is not a HAProxy name (letters, digits and . _ : -)",
            "rewind.yaml:6:86: components.web.plan[0].traffic.to: 'b1' is named twice",
            "rewind.yaml:6:102: components.web.plan[0].traffic.from: 'b1' is also in to; a server cannot give traffic to itself",
            "rewind.yaml:6:119: components.web.plan[0].traffic.steps: percentages from 1 to 100 in strictly increasing order, ending at 100, e.g. [25, 50, 75, 100]",
            "rewind.yaml:7:39: components.web.plan[1].traffic.haproxy.socket: unknown scheme; expected unix:<socket path> or tcp:<host>:<port>",
            "rewind.yaml:7:78: components.web.plan[1].traffic.to: at least one server",
            "rewind.yaml:7:88: components.web.plan[1].traffic.from: 'g 1' is not a HAProxy name (letters, digits and . _ : -)",
            "rewind.yaml:7:104: components.web.plan[1].traffic.steps: percentages from 1 to 100 in strictly increasing order, ending at 100, e.g. [25, 50, 75, 100]",
            "rewind.yaml:7:133: components.web.plan[1].traffic.timeout: must be positive",
            "rewind.yaml:8:98: components.web.plan[2].traffic.steps: percentages from 1 to 100 in strictly increasing order, ending at 100, e.g. [25, 50, 75, 100]",
            "rewind.yaml:9:128: components.web.plan[3].traffic.timeout: not longer than the gates alone (2 stages × 1m), so the step could never finish",
            "rewind.yaml:10:22: components.web.plan[4].maintenance.state: required: maint, drain or ready",
            "rewind.yaml:10:33: components.web.plan[4].maintenance.haproxy.socket: required, expected unix:<socket path> or tcp:<host>:<port>",
            "rewind.yaml:10:60: components.web.plan[4].maintenance.servers: at least one server",
            "rewind.yaml:11:9: components.web.plan[5]: declare exactly one kind: switch, command, http, wait-healthy, batch, cache-flush, notify, parallel, approval, traffic, maintenance, migrate-down, snapshot or restore",
            "rewind.yaml:12:96: components.web.plan[6].maintenance.state: expected one of maint, drain, ready, found 'off'",
            "rewind.yaml:12:96: components.web.plan[6].maintenance.state: required: maint, drain or ready",
        ]);
    }

    [Fact]
    public void Parse_TrafficStepInAParallelGroup_IsRefusedAndMaintenanceIsNot()
    {
        var result = Parse("""
                provider:
                  release-dir: { path: /srv/web }
                plan:
                  - switch: {}
                  - parallel:
                      - traffic: { haproxy: { socket: "tcp:127.0.0.1:9999", backend: web }, to: [b], from: [g] }
                      - maintenance: { haproxy: { socket: "tcp:127.0.0.1:9999", backend: web }, servers: [g], state: drain }
            """);

        result.Errors.ShouldHaveSingleItem().ToString().ShouldBe(
            "rewind.yaml:8:13: components.web.plan[1].parallel[0]: a traffic step cannot run in parallel with others; put it before or after the group");
    }

    private static Release Stable(string version) => new("web", version, ReleaseState.Stable, new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero), null, null, "ci");
}
