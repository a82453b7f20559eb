using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class LimitsConfigTests
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
    public void Parse_NoLimits_KeepsTheDefaults()
    {
        var limits = Parse("").Config!.Server.Limits;

        limits.RequestsPerMinute.ShouldBe(6000);
        limits.AnonymousRequestsPerMinute.ShouldBe(120);
        limits.LoginAttemptsPerMinute.ShouldBe(10);
        limits.MonitoringRequestsPerMinute.ShouldBe(6000);
        limits.EventStreams.ShouldBe(200);
        limits.EventStreamsPerUser.ShouldBe(5);
        limits.RefusalWindow.ShouldBe(TimeSpan.FromMinutes(1));
        limits.RefusalSources.ShouldBe(100);
    }

    [Fact]
    public void Parse_EveryKey_Binds()
    {
        var result = Parse("""
            server:
              limits:
                requests-per-minute: 100
                anonymous-requests-per-minute: 20
                login-attempts-per-minute: 3
                monitoring-requests-per-minute: 60
                event-streams: 50
                event-streams-per-user: 2
                refusal-window: 30s
                refusal-sources: 10
            """);

        result.Errors.ShouldBeEmpty();
        var limits = result.Config!.Server.Limits;
        (limits.RequestsPerMinute, limits.AnonymousRequestsPerMinute, limits.LoginAttemptsPerMinute, limits.MonitoringRequestsPerMinute).ShouldBe((100, 20, 3, 60));
        (limits.EventStreams, limits.EventStreamsPerUser, limits.RefusalSources).ShouldBe((50, 2, 10));
        limits.RefusalWindow.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Parse_BadLimits_ReportsEveryFailureWithItsPosition()
    {
        var result = Parse("""
            server:
              limits:
                requests-per-minute: 0
                anonymous-requests-per-minute: -5
                login-attempts-per-minute: lots
                monitoring-requests-per-minute: 2000000
                event-streams: 3
                event-streams-per-user: 4
                refusal-window: 2h
                refusal-sources: 0
                burst: 10
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:9:26: server.limits.requests-per-minute: 0 is outside 1..1000000",
            "rewind.yaml:10:36: server.limits.anonymous-requests-per-minute: -5 is outside 1..1000000",
            "rewind.yaml:11:32: server.limits.login-attempts-per-minute: expected a whole number, found 'lots'",
            "rewind.yaml:12:37: server.limits.monitoring-requests-per-minute: 2000000 is outside 1..1000000",
            "rewind.yaml:14:29: server.limits.event-streams-per-user: 4 is more than event-streams (3)",
            "rewind.yaml:15:21: server.limits.refusal-window: from 1s to 1h",
            "rewind.yaml:16:22: server.limits.refusal-sources: 0 is outside 1..100000",
            "rewind.yaml:17:5: unknown key 'burst' in server.limits; expected one of: anonymous-requests-per-minute, event-streams, event-streams-per-user, login-attempts-per-minute, monitoring-requests-per-minute, refusal-sources, refusal-window, requests-per-minute",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Parse_ProbeSchedule_BindsAndDefaultsItsLatenessToHalfTheIntervalAtMostOneSecond()
    {
        var defaults = Parse("").Config!.Server.Probes;
        var set = Parse("""
            server:
              probes: { max-concurrent: 32, max-lateness: 200ms }
            """);

        defaults.MaxConcurrent.ShouldBe(256);
        defaults.MaxLatenessFor(TimeSpan.FromMilliseconds(200)).ShouldBe(TimeSpan.FromMilliseconds(100));
        defaults.MaxLatenessFor(TimeSpan.FromSeconds(30)).ShouldBe(TimeSpan.FromSeconds(1));
        set.Errors.ShouldBeEmpty();
        set.Config!.Server.Probes.MaxConcurrent.ShouldBe(32);
        set.Config.Server.Probes.MaxLatenessFor(TimeSpan.FromSeconds(30)).ShouldBe(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Parse_BadProbeSchedule_ReportsEveryFailureWithItsPosition()
    {
        var result = Parse("""
            server:
              probes:
                max-concurrent: 0
                max-lateness: 2m
            """);

        result.Errors.Select(e => e.ToString()).ShouldBe([
            "rewind.yaml:9:21: server.probes.max-concurrent: 0 is outside 1..100000",
            "rewind.yaml:10:19: server.probes.max-lateness: 2m is outside 10ms..1m",
        ], ignoreOrder: true);
    }
}
