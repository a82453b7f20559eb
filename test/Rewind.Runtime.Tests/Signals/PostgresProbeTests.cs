using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Rewind.Core.Configuration;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Signals;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Signals;

/// <summary>Against the real PostgreSQL server named by REWIND_TEST_POSTGRES; without it these tests fail.</summary>
public sealed class PostgresProbeTests
{
    private readonly Prober _prober = new(new HttpProbe(), new TcpProbe(), new CommandProbe(new ProcessRunner()), new PostgresProbe());

    [Fact]
    public async Task RunAsync_DefaultQuery_Passes()
    {
        var sample = await _prober.RunAsync("db", "ping", Probe(PostgresDatabase.ServerUrl()));

        sample.Success.ShouldBeTrue(sample.Error);
        sample.Error.ShouldBeNull();
        sample.LatencyMs.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("select 41 + 1", "42")]
    [InlineData("select 'ok'", "ok")]
    [InlineData("select pg_is_in_recovery()", "false")]
    [InlineData("select null", "null")]
    public async Task RunAsync_ExpectedValue_Passes(string query, string expect)
    {
        var sample = await _prober.RunAsync("db", "value", Probe(PostgresDatabase.ServerUrl(), query, expect));

        sample.Success.ShouldBeTrue(sample.Error);
    }

    [Fact]
    public async Task RunAsync_OtherValue_FailsNamingBoth()
    {
        var sample = await _prober.RunAsync("db", "value", Probe(PostgresDatabase.ServerUrl(), "select 'degraded'", "ok"));

        (sample.Success, sample.Error).ShouldBe((false, "query returned 'degraded', expected 'ok'"));
    }

    [Fact]
    public async Task RunAsync_NoRowsWhenAValueIsExpected_Fails()
    {
        var sample = await _prober.RunAsync("db", "value", Probe(PostgresDatabase.ServerUrl(), "select 1 where false", "1"));

        (sample.Success, sample.Error).ShouldBe((false, "no rows"));
    }

    [Fact]
    public async Task RunAsync_BadSql_FailsWithTheServersMessage()
    {
        var sample = await _prober.RunAsync("db", "broken", Probe(PostgresDatabase.ServerUrl(), "selec 1"));

        (sample.Success, sample.Error).ShouldBe((false, "query failed: 42601: syntax error at or near \"selec\""));
    }

    [Fact]
    public async Task RunAsync_ClosedPort_FailsWithConnectionRefused()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var sample = await _prober.RunAsync("db", "ping", Probe($"postgres://postgres:secret@127.0.0.1:{port}/postgres"));

        (sample.Success, sample.Error).ShouldBe((false, "connection refused"));
    }

    [Fact]
    public async Task RunAsync_QueryPastItsTimeout_FailsLongBeforeTheQueryEnds()
    {
        var config = Probe(PostgresDatabase.ServerUrl(), "select pg_sleep(5)");
        config.Timeout = TimeSpan.FromMilliseconds(300);
        var clock = Stopwatch.StartNew();

        var sample = await _prober.RunAsync("db", "slow", config);

        (sample.Success, sample.Error).ShouldBe((false, "timeout after 300ms"));
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RunAsync_UnknownUrlOption_FailsInsteadOfThrowing()
    {
        var sample = await _prober.RunAsync("db", "ping", Probe(PostgresDatabase.ServerUrl() + "?no_such_option=1"));

        sample.Success.ShouldBeFalse();
        sample.Error.ShouldStartWith("URL option 'no_such_option' is not accepted by the PostgreSQL driver: ");
    }

    private static ProbeConfig Probe(string url, string query = "select 1", string? expect = null) => new()
    {
        Postgres = new PostgresProbeConfig { Url = url, Query = query, Expect = expect },
        Interval = TimeSpan.FromSeconds(10),
        Timeout = TimeSpan.FromSeconds(5),
    };
}
