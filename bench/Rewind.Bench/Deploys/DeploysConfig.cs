using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Rewind.Bench.Deploys;

/// <summary>Which of the two controllers a config is for.</summary>
internal enum ControllerRole
{
    /// <summary>Rewind as it is meant to run: deploy state, the serving version read from /health, probe and regression policies in auto mode, paging on every incident.</summary>
    Rewind,

    /// <summary>
    /// The naive watcher of a twin fleet: the same probes and a plain threshold on the scraped bad-event ratio, told of
    /// a release only once the pipeline is done (no deploy state), bake by time alone, auto rollback and paging.
    /// </summary>
    Naive,
}

/// <summary>The controllers' configs, written in one place so a new key is added once for every component.</summary>
internal static class DeploysConfig
{
    public static string Render(ControllerRole role, Fleet fleet, string storePath, int apiPort)
    {
        var text = new StringBuilder();
        text.Append(F($"""
            store: sqlite:{storePath}
            server:
              listen: http://127.0.0.1:{apiPort}

            """));
        text.Append("""
            escalation:
              - name: on-call
                levels:
                  - { after: 0s, contacts: [on-call] }

            """);

        text.Append("components:\n");
        foreach (var member in fleet.Members)
        {
            text.Append(Component(role, fleet, member));
        }

        return text.ToString();
    }

    private static string Component(ControllerRole role, Fleet fleet, FleetMember member)
    {
        var origin = F($"http://127.0.0.1:{member.Port}");
        var common = F($$"""
              {{member.Component}}:
                provider:
                  release-dir:
                    path: {{JsonSerializer.Serialize(member.App)}}
                    restart: [{{JsonSerializer.Serialize(fleet.ServiceCtl)}}, restart, {{JsonSerializer.Serialize(member.App)}}, "{{member.Port}}"]
                probes:
                  health:
                    http: { url: "{{origin}}/health", json-field: { path: status, equals: ok } }
                    interval: 1s
                    timeout: 800ms
                bake-time: {{DeploysSettings.BakeTime}}
                auto-rollback-limit: { count: 100, window: 1h }
                healthy-successes: 2
                healthy-timeout: 60s

            """);
        return common + (role == ControllerRole.Rewind ? RewindPolicies(origin) : NaivePolicies(origin));
    }

    private static string RewindPolicies(string origin) => F($$"""
                deploy-grace: {{DeploysSettings.DeployGrace}}
                version-source: { probe: health, on-drift: record }
                scrapes:
                  app: { url: "{{origin}}/metrics", interval: 1s, timeout: 800ms, latency-objective: {{DeploysSettings.LatencyObjective}} }
                policies:
            {{HealthDown}}
                  regression:
                    when: { regression: { scrape: app, baseline-rate: {{DeploysSettings.BaselineErrorFraction}}, factor: 3, min-baseline-requests: 2000 } }
                    severity: P1
                    mode: auto
                    cooldown: 5s

            """);

    /// <summary>"Bad-event ratio above 2 % held for 10 s" on 5 s scrapes (150 requests a value at 30/s), and the same probe rule.</summary>
    private static string NaivePolicies(string origin) => F($$"""
                scrapes:
                  app: { url: "{{origin}}/metrics", interval: 5s, timeout: 800ms, latency-objective: {{DeploysSettings.LatencyObjective}} }
                policies:
            {{HealthDown}}
                  error-rate:
                    when: { signal: { name: app.bad-ratio, above: 2%, for: 10s } }
                    severity: P1
                    mode: auto
                    cooldown: 5s

            """);

    /// <summary>The same probe rule on both fleets, so that only the deploy handling and the traffic test differ.</summary>
    private const string HealthDown = """
              health-down:
                when: { probe: health, failing-for: 2s, min-failures: 2 }
                severity: P1
                mode: auto
                cooldown: 5s
        """;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
