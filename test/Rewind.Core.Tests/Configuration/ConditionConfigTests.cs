using Rewind.Core.Configuration;
using Rewind.Core.Incidents;

namespace Rewind.Core.Tests.Configuration;

public sealed class ConditionConfigTests
{
    private const string Head = """
        server:
          push-tokens: { shop: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" }
        components:
          api:
            provider:
              release-dir: { path: /srv/api, restart: [true] }
            probes:
              fn-a: { http: { url: "http://127.0.0.1:8080/a" } }
              fn-b: { http: { url: "http://127.0.0.1:8080/b" } }
            scrapes:
              app: { url: "http://127.0.0.1:8080/metrics", gauges: { memory: process_resident_memory_bytes } }
            queries:
              error-ratio: { prometheus: "http://127.0.0.1:9090", promql: "sum(rate(x[1m]))", interval: 5s }
            events:
              payment-failure: { description: a card payment was refused by our side }
        """;

    [Fact]
    public void Parse_EveryConditionKind_Binds()
    {
        var result = ConfigParser.Parse(Head + """

                policies:
                  errors: { when: { signal: { name: error-ratio, above: 5%, for: 1m } }, severity: P1 }
                  payments: { when: { count: { events: payment-failure, above: 10, in: 1m } }, severity: P2, mode: notify }
                  flaky: { when: { count: { probe-failures: fn-a, above: 3, in: 5m } }, severity: P3, mode: notify }
                  functions: { when: { fraction: { probes: [fn-a, fn-b], above: 50%, for: 2m } }, severity: P1 }
                  memory: { when: { trend: { signal: app.memory, reaches: 512e6, within: 30m, over: 10m } }, severity: P2, mode: notify }
                  slow: { when: { signal: { name: app.latency-p99, above: 0.5, no-data: holds } }, severity: P3, mode: notify }
                  overall:
                    when:
                      composite:
                        - { severity: P0 }
                        - { severity: P3, at-least: 2 }
                        - { policies: [errors, functions], at-least: 2 }
            """, "rewind.yaml", "/");

        result.Errors.ShouldBeEmpty();
        var policies = result.Config!.Components["api"].Policies;
        policies["errors"].When.Signal!.Above.ShouldBe(0.05);
        policies["errors"].When.Kind.ShouldBe("signal");
        policies["payments"].When.Count!.Events.ShouldBe("payment-failure");
        policies["flaky"].When.Count!.ProbeFailures.ShouldBe("fn-a");
        policies["functions"].When.Fraction!.Above.ShouldBe(0.5);
        policies["memory"].When.Trend!.Reaches.ShouldBe(512e6);
        policies["slow"].When.Signal!.NoData.ShouldBe(NoDataMode.Holds);
        policies["overall"].When.Composite!.Count.ShouldBe(3);
        policies["overall"].When.Composite![1].Severity.ShouldBe(Severity.P3);
        policies["overall"].When.Composite![2].AtLeast.ShouldBe(2);
    }

    [Fact]
    public void Validate_WrongReferences_ReportEachAtItsPosition()
    {
        var result = ConfigParser.Parse(Head + """

                policies:
                  a: { when: { signal: { name: app.nope, above: 1 } } }
                  b: { when: { signal: { name: error-ratio } } }
                  c: { when: { count: { events: refund, above: 1 } } }
                  d: { when: { fraction: { probes: [fn-z], above: 150% } } }
                  e: { when: { trend: { signal: app.memory, reaches: 1, min-points: 1 } } }
                  f: { when: { composite: [ { policies: [f, g] } ] } }
                  g: { when: { probe: fn-a, signal: { name: error-ratio, above: 1 } } }
            """, "rewind.yaml", "/");

        var errors = result.Errors.Select(e => e.ToString()).ToList();
        errors.ShouldContain(e => e.StartsWith("rewind.yaml:17:36: components.api.policies.a.when.signal.name: 'app.nope' is not a signal of api; known: app.bad-ratio", StringComparison.Ordinal));
        errors.ShouldContain(e => e.EndsWith("components.api.policies.b.when.signal: give a limit, above or below", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("components.api.policies.c.when.count.events: 'refund' is not declared in api's events", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("components.api.policies.d.when.fraction.probes: 'fn-z' is not a probe of api", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("components.api.policies.d.when.fraction.above: a fraction from 0 to below 1", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("components.api.policies.e.when.trend.min-points: at least 2", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("components.api.policies.f.when.composite.policies: a composite cannot count itself", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("components.api.policies.g.when: one kind of condition per policy", StringComparison.Ordinal));
        result.Errors.ShouldAllBe(e => e.Line > 0 && e.Column > 0);
    }

    [Fact]
    public void Validate_PushTokenInTheClear_IsRefused()
    {
        var result = ConfigParser.Parse(Head.Replace("\"sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae\"", "hunter2", StringComparison.Ordinal), "rewind.yaml", "/");

        result.Errors.ShouldHaveSingleItem().ToString().ShouldBe("rewind.yaml:2:18: server.push-tokens.shop: expected sha256: and 64 hex digits (`rewind token push` prints one); never the token itself");
    }

    [Fact]
    public void Validate_QueryWithoutServerOrExpression_IsAnError()
    {
        var result = ConfigParser.Parse(Head.Replace("prometheus: \"http://127.0.0.1:9090\", promql: \"sum(rate(x[1m]))\"", "prometheus: \"localhost\", promql: \"\"", StringComparison.Ordinal), "rewind.yaml", "/");

        result.Errors.Select(e => e.Message).ShouldBe([
            "components.api.queries.error-ratio.prometheus: expected the server's http:// or https:// URL",
            "components.api.queries.error-ratio.promql: required",
        ], ignoreOrder: true);
    }
}
