using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;

namespace Rewind.Core.Tests.Configuration;

public sealed class ConfigParserTests
{
    private const string Valid = """
        store: sqlite:state/rewind.db
        components:
          web:
            provider:
              release-dir:
                path: /srv/web
                restart: [systemctl, restart, web]
            probes:
              health:
                http:
                  url: http://127.0.0.1:8080/health
                  json-field: { path: status, equals: ok }
                interval: 2s
                timeout: 1s
            policies:
              down:
                when: { probe: health, failing-for: 10s }
                severity: P0
                mode: approve
            bake-time: 90s
        """;

    [Fact]
    public void Parse_ValidFile_BindsEveryKeyAndResolvesRelativePaths()
    {
        var result = ConfigParser.Parse(Valid, "rewind.yaml", "/etc/rewind");

        result.Errors.ShouldBeEmpty();
        var config = result.Config!;
        config.Store.ShouldBe("sqlite:/etc/rewind/state/rewind.db");
        var web = config.Components["web"];
        web.Provider.ReleaseDir!.Restart.ShouldBe(["systemctl", "restart", "web"]);
        web.Probes["health"].Http!.JsonField!.Expected.ShouldBe("ok");
        web.Probes["health"].Interval.ShouldBe(TimeSpan.FromSeconds(2));
        web.Policies["down"].Severity.ShouldBe(Severity.P0);
        web.Policies["down"].Mode.ShouldBe(PolicyMode.Approve);
        web.Policies["down"].When.FailingFor.ShouldBe(TimeSpan.FromSeconds(10));
        web.BakeTime.ShouldBe(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void Parse_UnknownKeyAndWrongType_ReportsBothWithLineAndColumn()
    {
        var text = Valid.Replace("    bake-time: 90s", "    bake-time: soon\n    colour: blue", StringComparison.Ordinal);

        var result = ConfigParser.Parse(text, "rewind.yaml", "/etc/rewind");

        result.IsValid.ShouldBeFalse();
        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "rewind.yaml:20:16: components.web.bake-time: expected a duration such as 500ms, 30s, 5m or 1h, found 'soon'",
            "rewind.yaml:21:5: unknown key 'colour' in components.web; expected one of: auto-rollback-limit, backups, bake-min-requests, bake-time, deploy-grace, events, fleet, healthy-successes, healthy-timeout, host, hosts, plan, plan-timeout, policies, probes, provider, queries, scrapes, unreachable, verify, version-source, warm-up",
        ]);
    }

    [Fact]
    public void Parse_PolicyOnUnknownProbe_PointsAtTheProbeValue()
    {
        var text = Valid.Replace("probe: health,", "probe: helth,", StringComparison.Ordinal);

        var result = ConfigParser.Parse(text, "rewind.yaml", "/");

        var error = result.Errors.ShouldHaveSingleItem();
        (error.Line, error.Column).ShouldBe((17, 24));
        error.Message.ShouldContain("'helth' is not a probe of web");
    }

    [Fact]
    public void Parse_YamlSyntaxError_IsOneErrorWithPosition()
    {
        var result = ConfigParser.Parse("components:\n  web: [unclosed\n", "bad.yaml", "/");

        var error = result.Errors.ShouldHaveSingleItem();
        error.File.ShouldBe("bad.yaml");
        error.Message.ShouldStartWith("YAML syntax");
    }

    [Fact]
    public void Parse_WrongShapes_AreAllReported()
    {
        const string text = """
            components:
              web:
                provider: release-dir
                probes:
                  health:
                    interval: -1s
                    timeout: 5s
                    http: { url: "ftp://x", expect-status: ok }
                policies:
                  p:
                    when: { probe: health }
                    severity: P9
                    mode: sometimes
            """;

        var result = ConfigParser.Parse(text, "r.yaml", "/");

        var messages = result.Errors.Select(e => e.Message).ToList();
        messages.ShouldContain(m => m.Contains("provider: expected a mapping", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("interval: expected a duration", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("expect-status: expected a whole number", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("severity: expected one of P0, P1, P2, P3", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("mode: expected one of auto, approve, notify", StringComparison.Ordinal));
        result.Errors.ShouldAllBe(e => e.Line > 0 && e.Column > 0);
    }

    [Fact]
    public void Parse_DuplicateComponentName_IsAnError()
    {
        var result = ConfigParser.Parse("components:\n  web: {}\n  web: {}\n", "r.yaml", "/");

        var error = result.Errors.ShouldHaveSingleItem();
        error.ToString().ShouldBe("r.yaml:3:3: YAML syntax: Duplicate key web");
    }

    [Fact]
    public void Parse_EmptyEntriesAndUnsafeValues_AreErrorsNotSilence()
    {
        const string text = """
            store: postgres://nohost
            components:
              api:
              web:
                provider:
                  release-dir: { path: /srv/web, restart-timeout: 0s }
                probes:
                  health:
                    http: { url: "http://127.0.0.1/health", expect-status: 42, json-field: { equals: ok } }
                policies:
                  down:
                    when: { probe: health }
                    cooldown: 0s
                bake-time: 0s
            """;

        var messages = ConfigParser.Parse(text, "r.yaml", "/").Errors.Select(e => e.ToString()).ToList();

        messages.ShouldContain("r.yaml:1:8: store: expected sqlite:PATH or postgres://user:password@host:port/database");
        messages.ShouldContain("r.yaml:3:7: components.api: empty; expected a mapping of keys");
        messages.ShouldContain(m => m.Contains("restart-timeout: must be positive", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("expect-status: an HTTP status code", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("json-field.path: required", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("cooldown: must be positive", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("bake-time: must be positive", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RegressionPolicyOnAScrape_BindsAndValidates()
    {
        const string text = """
            components:
              web:
                provider:
                  release-dir: { path: /srv/web }
                probes:
                  health: { http: { url: "http://127.0.0.1/health" } }
                scrapes:
                  app: { url: "http://127.0.0.1/metrics", interval: 1s, timeout: 500ms, latency-objective: 250ms }
                policies:
                  regressed:
                    when: { regression: { scrape: app, baseline-rate: 0.002, factor: 5, false-alarm: 0.0001, latency-quantile: 0.99 } }
                bake-min-requests: 500
            """;

        var result = ConfigParser.Parse(text, "r.yaml", "/");

        result.Errors.ShouldBeEmpty();
        var web = result.Config!.Components["web"];
        web.Scrapes["app"].LatencyObjective.ShouldBe(TimeSpan.FromMilliseconds(250));
        web.Policies["regressed"].When.Regression!.Factor.ShouldBe(5);
        web.Policies["regressed"].When.Regression!.LatencyQuantile.ShouldBe(0.99);
        web.Policies["regressed"].When.Regression!.LatencyFactor.ShouldBe(2);
        web.BakeMinRequests.ShouldBe(500);
    }

    [Fact]
    public void Parse_BadRegression_ReportsEveryProblem()
    {
        const string text = """
            components:
              web:
                provider:
                  release-dir: { path: /srv/web }
                probes:
                  health: { http: { url: "http://127.0.0.1/health" } }
                scrapes:
                  app: { url: "ftp://x", interval: 1s, timeout: 2s }
                policies:
                  both:
                    when: { probe: health, regression: { scrape: nope, baseline-rate: 2, factor: 1, miss: 0, latency-quantile: 0.3, latency-factor: 1 } }
            """;

        var messages = ConfigParser.Parse(text, "r.yaml", "/").Errors.Select(e => e.Message).ToList();

        messages.ShouldContain("components.web.scrapes.app.url: expected an http:// or https:// URL");
        messages.ShouldContain("components.web.scrapes.app.timeout: must be positive and no longer than the interval");
        messages.ShouldContain("components.web.policies.both.when: name a probe or a regression, not both");
        messages.ShouldContain("components.web.policies.both.when.regression.scrape: 'nope' is not a scrape of web");
        messages.ShouldContain(m => m.StartsWith("components.web.policies.both.when.regression.baseline-rate:", StringComparison.Ordinal));
        messages.ShouldContain(m => m.StartsWith("components.web.policies.both.when.regression.factor:", StringComparison.Ordinal));
        messages.ShouldContain(m => m.StartsWith("components.web.policies.both.when.regression.miss:", StringComparison.Ordinal));
        messages.ShouldContain("components.web.policies.both.when.regression.latency-quantile: a quantile between 0.5 and 0.999, e.g. 0.95 for p95");
        messages.ShouldContain(m => m.StartsWith("components.web.policies.both.when.regression.latency-factor:", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TcpAndCommandProbes_BindAndNeedExactlyOneKind()
    {
        const string text = """
            components:
              db:
                provider:
                  release-dir: { path: /srv/db }
                probes:
                  port: { tcp: { host: 127.0.0.1, port: 5432 } }
                  queue: { command: { argv: [/usr/local/bin/check-queue, --max, "100"], expect-exit: 0 }, timeout: 3s }
                  confused: { tcp: { port: 1 }, command: { argv: [true] } }
                  nothing: { interval: 5s }
            """;

        var result = ConfigParser.Parse(text, "r.yaml", "/");

        result.Errors.Select(e => e.Message).ShouldBe(
        [
            "components.db.probes.confused: declare exactly one kind: http, tcp, command or postgres",
            "components.db.probes.nothing: declare exactly one kind: http, tcp, command or postgres",
        ]);
    }
}
