using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rewind.Bench.Backups;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Server;

namespace Rewind.Bench.Dashboard;

/// <summary>
/// What the dashboard benchmark runs against: a real controller (in process, SQLite store) with a few release-dir
/// components that have releases, an admin token, and — the floor — a bare Kestrel app serving a one-line HTML page.
/// </summary>
internal sealed class DashboardWorld : IAsyncDisposable
{
    public const int Components = 4;
    public const int Versions = 60;

    private readonly WebApplication _server;
    private readonly WebApplication _floor;

    private DashboardWorld(string root, WebApplication server, WebApplication floor, string url, string floorUrl, string token)
    {
        Root = root;
        _server = server;
        _floor = floor;
        Url = url;
        FloorUrl = floorUrl;
        Token = token;
        var http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Client = new RewindClient(http);
        Http = http;
    }

    public string Root { get; }

    public string Url { get; }

    public string FloorUrl { get; }

    public string Token { get; }

    public RewindClient Client { get; }

    public HttpClient Http { get; }

    public static async Task<DashboardWorld> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("rewind-bench-dashboard-").FullName;
        var components = string.Concat(Enumerable.Range(1, Components).Select(i => Pg.F($$"""
              c{{i}}:
                provider: { release-dir: { path: app{{i}} } }
                probes: { up: { command: { argv: ["true"] }, interval: 1s, timeout: 500ms } }

            """)));
        for (var i = 1; i <= Components; i++)
        {
            for (var v = 1; v <= Versions; v++)
            {
                Directory.CreateDirectory(Path.Combine(root, $"app{i}", "releases", $"v{v}"));
            }

            File.CreateSymbolicLink(Path.Combine(root, $"app{i}", "current"), Path.Combine("releases", "v1"));
        }

        var parsed = ConfigParser.Parse($"store: \"sqlite:rewind.db\"\nserver: {{ listen: \"http://127.0.0.1:0\", limits: {{ login-attempts-per-minute: 10000 }} }}\ncomponents:\n{components}", "rewind.yaml", root);
        if (parsed.Config is null)
        {
            throw new InvalidOperationException(string.Join("; ", parsed.Errors));
        }

        var server = await RewindServer.CreateAsync(parsed.Config, new RewindServerOptions { MinimumLogLevel = LogLevel.Warning });
        var token = await Rewind.Server.Access.AccessBootstrap.AdminTokenAsync(server.Services, "bench", "dashboard benchmark");
        await server.StartAsync();
        var floor = WebApplication.CreateSlimBuilder();
        floor.WebHost.UseUrls("http://127.0.0.1:0");
        floor.Logging.ClearProviders();
        var floorApp = floor.Build();
        floorApp.MapGet("/", () => Results.Content("<!doctype html><html lang=en><title>floor</title><p>Rewind</p></html>", "text/html"));
        await floorApp.StartAsync();
        var world = new DashboardWorld(root, server, floorApp, Address(server), Address(floorApp), token);
        for (var i = 1; i <= Components; i++)
        {
            await world.Client.RecordReleaseAsync($"c{i}", new RecordReleaseRequest("v1"));
            await world.Client.RecordReleaseAsync($"c{i}", new RecordReleaseRequest("v2"));
        }

        return world;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
        await _floor.StopAsync();
        await _floor.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    public static string Version(int n) => "v" + n.ToString(CultureInfo.InvariantCulture);
}
