using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Storage;

namespace Rewind.Server.Tests;

/// <summary>
/// A real controller on loopback with a real SQLite store and a real release directory. The component's probe points
/// at a closed port and it has no policies, so nothing acts unless a test asks it to.
/// </summary>
public sealed class ServerFixture : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private ServerFixture(string root, WebApplication app, HttpClient http)
    {
        Root = root;
        _app = app;
        _http = http;
        Client = new RewindClient(http);
    }

    public string Root { get; }

    public string AppRoot => Path.Combine(Root, "app");

    /// <summary>The config file the controller was started from, with <c>configFile: true</c>: it reloads it when it changes.</summary>
    public string ConfigPath => Path.Combine(Root, "rewind.yaml");

    public RewindClient Client { get; }

    public HttpClient Http => _http;

    internal IStore Store => _app.Services.GetRequiredService<IStore>();

    /// <summary>One of the controller's own services, for tests that drive it directly (an escalation check at a chosen time).</summary>
    internal T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>One of the controller's hosted services, to drive it directly (a backup schedule at a chosen time).</summary>
    internal T HostedService<T>()
        where T : Microsoft.Extensions.Hosting.IHostedService => _app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<T>().Single();

    /// <summary>An HTTP client to this controller that presents <paramref name="token"/>.</summary>
    public HttpClient HttpAs(string token)
    {
        var http = new HttpClient { BaseAddress = _http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Stops the controller as a shutdown would, keeping its store open for the test to read.</summary>
    internal Task StopAsync() => _app.StopAsync();

    public string CurrentTarget => File.ResolveLinkTarget(Path.Combine(AppRoot, "current"), returnFinalTarget: false)!.FullName;

    public static async Task<ServerFixture> StartAsync(string restart = "[sleep, \"2\"]", string policies = "{}", string probeUrl = "http://127.0.0.1:9/health", string store = "sqlite:rewind.db", string scrapes = "{}", string componentExtra = "", string serverExtra = "", string probesExtra = "", string extra = "", string components = "", RewindServerOptions? options = null, bool configFile = false)
    {
        var root = Directory.CreateTempSubdirectory("rewind-server-").FullName;
        foreach (var version in new[] { "v1", "v2" })
        {
            Directory.CreateDirectory(Path.Combine(root, "app", "releases", version));
        }

        File.CreateSymbolicLink(Path.Combine(root, "app", "current"), Path.Combine("releases", "v2"));
        var yaml = string.Create(CultureInfo.InvariantCulture, $$"""
            store: "{{store}}"
            server:
              listen: http://127.0.0.1:0
              {{serverExtra}}
            components:
              web:
                provider:
                  release-dir:
                    path: app
                    restart: {{restart}}
                probes:
                  health:
                    http: { url: "{{probeUrl}}" }
                    interval: 200ms
                    timeout: 200ms
                  {{probesExtra}}
                policies: {{policies}}
                scrapes: {{scrapes}}
                healthy-timeout: 5s
                {{componentExtra}}
              {{components}}
            {{extra}}
            """);
        var path = Path.Combine(root, "rewind.yaml");
        if (configFile)
        {
            await File.WriteAllTextAsync(path, yaml);
        }

        var parsed = ConfigParser.Parse(yaml, configFile ? path : "rewind.yaml", root);
        parsed.Errors.ShouldBeEmpty();
        options ??= new RewindServerOptions { MinimumLogLevel = LogLevel.Warning };
        var app = await RewindServer.CreateAsync(parsed.Config!, configFile ? new RewindServerOptions { MinimumLogLevel = options.MinimumLogLevel, LoggerProviders = options.LoggerProviders, ConfigPath = path } : options);
        var token = await Access.AccessBootstrap.AdminTokenAsync(app.Services, "alice", "test"); // before the start, so no policy runs meanwhile
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new ServerFixture(root, app, http);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
