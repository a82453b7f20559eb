using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Runtime.Samples;
using Rewind.Server;

namespace Rewind.Bench.Deploys;

/// <summary>A real controller in this process (SQLite store, API on loopback) and an admin client of its API.</summary>
internal sealed class BenchController : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private BenchController(ControllerRole role, WebApplication app, HttpClient http)
    {
        Role = role;
        _app = app;
        _http = http;
        Client = new RewindClient(http);
    }

    public ControllerRole Role { get; }

    public RewindClient Client { get; }

    public static async Task<BenchController> StartAsync(ControllerRole role, Fleet fleet)
    {
        var port = SampleRelease.FreeLoopbackPort();
        var name = role.ToString().ToLowerInvariant();
        var text = DeploysConfig.Render(role, fleet, Path.Combine(fleet.Root, name + ".db"), port);
        var path = Path.Combine(fleet.Root, name + ".yaml");
        await File.WriteAllTextAsync(path, text);
        var parsed = ConfigParser.Parse(text, path, fleet.Root);
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException($"{path}: " + string.Join("; ", parsed.Errors));
        }

        var app = await RewindServer.CreateAsync(parsed.Config!, new RewindServerOptions { MinimumLogLevel = LogLevel.Error });
        var token = await Rewind.Server.Access.AccessBootstrap.AdminTokenAsync(app.Services, "bench", "bench");
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new BenchController(role, app, http);
    }

    /// <summary>Rollbacks, newest first, of one component or all; the API's largest page (the client asks for its default 50).</summary>
    public async Task<IReadOnlyList<RollbackDto>> RollbacksAsync(string? component = null, CancellationToken cancellationToken = default) =>
        await _http.GetFromJsonAsync<List<RollbackDto>>(
            new Uri(component is null ? "api/v1/rollbacks?limit=500" : $"api/v1/rollbacks?limit=500&component={Uri.EscapeDataString(component)}", UriKind.Relative),
            RewindJson.Options,
            cancellationToken) ?? [];

    /// <summary>Incidents, newest first, up to the API's largest page.</summary>
    public async Task<IReadOnlyList<IncidentDto>> IncidentsAsync(CancellationToken cancellationToken = default) =>
        await _http.GetFromJsonAsync<List<IncidentDto>>(new Uri("api/v1/incidents?limit=500", UriKind.Relative), RewindJson.Options, cancellationToken) ?? [];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
