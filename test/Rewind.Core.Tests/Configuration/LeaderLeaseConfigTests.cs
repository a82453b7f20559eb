using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class LeaderLeaseConfigTests
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
    public void Parse_NoLease_IsSixSeconds() =>
        Parse("").Config!.Server.LeaderLease.ShouldBe(TimeSpan.FromSeconds(6));

    [Fact]
    public void Parse_Lease_Binds() =>
        Parse("server:\n  leader-lease: 10s").Config!.Server.LeaderLease.ShouldBe(TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData("500ms", "server.leader-lease: 500ms is outside 1s..60s")]
    [InlineData("2m", "server.leader-lease: 2m is outside 1s..60s")]
    public void Parse_LeaseOutOfRange_NamesItsPosition(string lease, string message) =>
        Parse($"server:\n  leader-lease: {lease}").Errors.Select(e => e.ToString()).ShouldBe([$"rewind.yaml:8:17: {message}"]);
}
