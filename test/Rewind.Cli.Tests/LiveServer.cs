using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Storage;
using Rewind.Runtime.Samples;
using Rewind.Server;

namespace Rewind.Cli.Tests;

/// <summary>
/// A real controller for the CLI to talk to: release-dir component "web" with v1 and v2 directories, restart `true`,
/// and a probe on the controller's own health endpoint, so a rollback really completes.
/// </summary>
internal sealed class LiveServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LiveServer(string root, string url, WebApplication app)
    {
        Root = root;
        Url = url;
        _app = app;
    }

    public string Root { get; }

    public string Url { get; }

    public string AppRoot => Path.Combine(Root, "app");

    /// <summary>The controller's store, for records the API has no way to make (an incident left open).</summary>
    public IStore Store => _app.Services.GetRequiredService<IStore>();

    public static async Task<LiveServer> StartAsync(string extra = "", bool configFile = false)
    {
        var root = Directory.CreateTempSubdirectory("rewind-cli-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "app", "releases", "v1"));
        Directory.CreateDirectory(Path.Combine(root, "app", "releases", "v2"));
        File.CreateSymbolicLink(Path.Combine(root, "app", "current"), "releases/v2");
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{SampleRelease.FreeLoopbackPort()}");
        var yaml = $$"""
            store: sqlite:rewind.db
            server: { listen: "{{url}}" }
            components:
              web:
                provider:
                  release-dir: { path: app, restart: ["true"] }
                probes:
                  health:
                    http: { url: "{{url}}/api/v1/health" }
                    interval: 200ms
                    timeout: 150ms
                bake-time: 300ms
            {{extra}}
            """;
        var path = Path.Combine(root, "rewind.yaml");
        if (configFile)
        {
            await File.WriteAllTextAsync(path, yaml); // then the controller reloads it: the file is its own
        }

        var parsed = ConfigParser.Parse(yaml, configFile ? path : "rewind.yaml", root);
        parsed.Errors.ShouldBeEmpty();
        var config = parsed.Config!;
        var app = await RewindServer.CreateAsync(config, new RewindServerOptions { MinimumLogLevel = LogLevel.Warning, ConfigPath = configFile ? path : null });
        CliRun.Tokens[url] = await Rewind.Server.Access.AccessBootstrap.AdminTokenAsync(app.Services, "alice", "test");
        await app.StartAsync();
        return new LiveServer(root, url, app);
    }

    /// <summary>Replaces the temp root in output so snapshots do not depend on it.</summary>
    public string Normalize(string text) => text.Replace(Root, "<root>", StringComparison.Ordinal).Replace(Url, "<server>", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
