using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class TelemetryConfigTests
{
    private const string Head = """
        components:
          web:
            provider:
              release-dir: { path: /srv/web }
            probes:
              health: { http: { url: "http://127.0.0.1:8080/health" } }
        """;

    private static ConfigResult Parse(string server) => ConfigParser.Parse(Head + "\n" + server, "rewind.yaml", "/etc/rewind");

    [Fact]
    public void Parse_NoTelemetry_ExportsNothingAndTracesEveryRollbackOnceConfigured()
    {
        var telemetry = Parse("").Config!.Server.Telemetry;

        telemetry.Otlp.ShouldBeNull();
        telemetry.ServiceName.ShouldBeNull();
        telemetry.SampleRatio.ShouldBe(1);
    }

    [Fact]
    public void Parse_EveryKey_Binds()
    {
        var result = Parse("""
            server:
              telemetry:
                service-name: rewind-prod
                sample-ratio: 0.25
                otlp:
                  endpoint: https://collector.internal:4317
                  protocol: grpc
                  headers: { x-api-key: COLLECTOR_API_KEY }
                  timeout: 3s
            """);

        result.Errors.ShouldBeEmpty();
        var telemetry = result.Config!.Server.Telemetry;
        (telemetry.ServiceName, telemetry.SampleRatio).ShouldBe(("rewind-prod", 0.25));
        var otlp = telemetry.Otlp!;
        (otlp.Endpoint, otlp.Protocol, otlp.Timeout).ShouldBe(("https://collector.internal:4317", "grpc", TimeSpan.FromSeconds(3)));
        otlp.Headers.ShouldBe(new Dictionary<string, string>(StringComparer.Ordinal) { ["x-api-key"] = "COLLECTOR_API_KEY" });
    }

    [Fact]
    public void Parse_BadTelemetry_ReportsEveryFailureWithItsPosition()
    {
        var result = Parse("""
            server:
              telemetry:
                service-name: " "
                sample-ratio: 1.5
                otlp:
                  endpoint: http://user:pw@collector:4318
                  protocol: http
                  headers: { "x api key": KEY, Authorization: "Bearer abc" }
                  timeout: 5m
                  compression: gzip
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:9:19: server.telemetry.service-name: empty; leave it out for the default, rewind",
            "rewind.yaml:10:19: server.telemetry.sample-ratio: expected a fraction from 0 to 1 (1 traces every rollback)",
            "rewind.yaml:12:17: server.telemetry.otlp.endpoint: no user or query in the URL; credentials go in headers, read from the environment",
            "rewind.yaml:13:17: server.telemetry.otlp.protocol: 'http' is not one of grpc, http/protobuf",
            "rewind.yaml:14:18: server.telemetry.otlp.headers: 'x api key' is not an HTTP header name",
            "rewind.yaml:14:36: server.telemetry.otlp.headers.Authorization: the name of the environment variable holding its value, never the value itself",
            "rewind.yaml:15:16: server.telemetry.otlp.timeout: 5m is outside 100ms..1m",
            "rewind.yaml:16:7: unknown key 'compression' in server.telemetry.otlp; expected one of: endpoint, headers, protocol, timeout",
        ], ignoreOrder: true);
    }
}
