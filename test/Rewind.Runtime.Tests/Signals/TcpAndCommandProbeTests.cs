using System.Net;
using System.Net.Sockets;
using Rewind.Core.Configuration;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Signals;

namespace Rewind.Runtime.Tests.Signals;

public sealed class TcpAndCommandProbeTests
{
    private readonly Prober _prober = new(new HttpProbe(), new TcpProbe(), new CommandProbe(new ProcessRunner()), new PostgresProbe());

    [Fact]
    public async Task Tcp_ListeningPort_Passes()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var sample = await _prober.RunAsync("db", "port", Tcp(port));

        sample.Success.ShouldBeTrue(sample.Error);
    }

    [Fact]
    public async Task Tcp_ClosedPort_FailsWithConnectionRefused()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var sample = await _prober.RunAsync("db", "port", Tcp(port));

        (sample.Success, sample.Error).ShouldBe((false, $"connection refused: 127.0.0.1:{port}"));
    }

    [Theory]
    [InlineData(new[] { "true" }, 0, true, null)]
    [InlineData(new[] { "sh", "-c", "echo degraded; exit 3" }, 0, false, "exit 3, expected 0: degraded")]
    [InlineData(new[] { "sh", "-c", "exit 3" }, 3, true, null)]
    public async Task Command_ExitCode_DecidesThePass(string[] argv, int expectExit, bool passes, string? error)
    {
        var sample = await _prober.RunAsync("worker", "queue", Command(argv, expectExit, TimeSpan.FromSeconds(5)));

        (sample.Success, sample.Error).ShouldBe((passes, error));
    }

    [Fact]
    public async Task Command_PastItsTimeout_FailsAndIsKilled()
    {
        var sample = await _prober.RunAsync("worker", "slow", Command(["sleep", "30"], 0, TimeSpan.FromMilliseconds(300)));

        sample.Success.ShouldBeFalse();
        sample.Error!.ShouldStartWith("timed out after");
        sample.Error.ShouldEndWith("process group ended");
        sample.LatencyMs.ShouldBeLessThan(10_000);
    }

    [Fact]
    public async Task Command_MissingExecutable_FailsWithAReason()
    {
        var sample = await _prober.RunAsync("worker", "gone", Command(["/nonexistent/check"], 0, TimeSpan.FromSeconds(5)));

        sample.Success.ShouldBeFalse();
        sample.Error!.ShouldStartWith("did not start");
    }

    private static ProbeConfig Tcp(int port) => new() { Tcp = new TcpProbeConfig { Host = "127.0.0.1", Port = port }, Timeout = TimeSpan.FromSeconds(2) };

    private static ProbeConfig Command(IEnumerable<string> argv, int expectExit, TimeSpan timeout) =>
        new() { Command = new CommandProbeConfig { Argv = [.. argv], ExpectExit = expectExit }, Timeout = timeout, Interval = TimeSpan.FromMinutes(1) };
}
