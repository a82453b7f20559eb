using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Hosting;

/// <summary>What the controller's log says about where it listens: one line per address once started, nothing from the framework when it cannot.</summary>
public sealed class ListenerLogTests
{
    [Fact]
    public async Task Start_LogsOneListeningLinePerAddress_WithTheDashboardThere()
    {
        var log = new LogCapture();
        await using var server = await ServerFixture.StartAsync(options: new RewindServerOptions { MinimumLogLevel = LogLevel.Information, LoggerProviders = [log] });
        var address = server.Http.BaseAddress!.ToString().TrimEnd('/');

        var line = await Eventually.WaitAsync(() => Task.FromResult(log.Lines.FirstOrDefault(l => l.Contains("[1098]", StringComparison.Ordinal))), TimeSpan.FromSeconds(10), "the listening line");

        line.ShouldStartWith($"Rewind.Server[1098] Listening on {address}; dashboard at {address}/ui/ |");
        log.Lines.Count(l => l.Contains("[1098]", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task Start_AddressInUse_ThrowsWithoutTheFrameworksOwnLines()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var root = Directory.CreateTempSubdirectory("rewind-listen-").FullName;
        var log = new LogCapture();
        try
        {
            var config = ConfigParser.Parse($"store: sqlite:rewind.db\nserver: {{ listen: \"{url}\" }}\ncomponents: {{}}\n", "rewind.yaml", root).Config!;
            await using var app = await RewindServer.CreateAsync(config, new RewindServerOptions { MinimumLogLevel = LogLevel.Information, LoggerProviders = [log] });

            await Should.ThrowAsync<IOException>(() => app.StartAsync());
            await app.StopAsync(); // as the process ending would: the loops that had started stop before the store's directory goes

            log.Lines.ShouldNotContain(l => l.StartsWith("Microsoft.", StringComparison.Ordinal), string.Join('\n', log.Lines));
            log.Lines.ShouldNotContain(l => l.Contains("[1098]", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
