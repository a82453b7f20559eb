using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Rewind.Cli.Commands;
using Rewind.Client;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Releases;
using Rewind.Server;
using Rewind.Server.Access;
using Rewind.Server.Hosting;
using Spectre.Console;

namespace Rewind.Cli.Demo;

/// <summary>
/// The main job, end to end on loopback: v1 bakes into last known good, a broken v2 is deployed, Rewind detects it,
/// rolls back, and the demo checks over HTTP that the service really serves v1 again.
/// </summary>
internal sealed class DemoStory(IAnsiConsole console, TextWriter error, bool keep)
{
    private static readonly TimeSpan StoryLimit = TimeSpan.FromMinutes(2);
    private readonly long _started = TimeProvider.System.GetTimestamp();

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (SampleLocation.Find() is not { } sample)
        {
            await error.WriteLineAsync("error: the sample service was not found: run ./rewind demo in the repository, or bin/rewind demo from an unpacked package (beside share/rewind/servicectl)");
            return ExitCodes.Failed;
        }

        var workspace = DemoWorkspace.Create(sample);
        Say($"workspace {workspace.Root}: app/releases/v1 (healthy), app/releases/v2 (broken), app/current -> releases/v1");
        var loaded = await ConfigFile.LoadAsync(workspace.ConfigPath, cancellationToken);
        if (!loaded.IsValid)
        {
            foreach (var problem in loaded.Errors)
            {
                await error.WriteLineAsync(problem.ToString());
            }

            return ExitCodes.Failed;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StoryLimit);
        var app = await RewindServer.CreateAsync(loaded.Config!, new RewindServerOptions { MinimumLogLevel = LogLevel.Error }, limit.Token);
        var succeeded = false;
        try
        {
            var token = await AccessBootstrap.AdminTokenAsync(app.Services, "demo", "demo", limit.Token);
            await app.StartAsync(limit.Token);
            Say($"rewind server on {workspace.ApiUrl} (store sqlite:{Path.Combine(workspace.Root, "rewind.db")}), config {workspace.ConfigPath}");
            using var http = new HttpClient { BaseAddress = new Uri(workspace.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var client = new RewindClient(http);
            succeeded = await TellAsync(workspace, client, limit.Token);
            if (keep)
            {
                Say($"--keep: API {workspace.ApiUrl}/api/v1/components, service {workspace.ServiceUrl}/health; try `REWIND_TOKEN={token} {Invocation()} status --server {workspace.ApiUrl}` (an admin token of this demo only). Ctrl+C stops both.");
                await WaitForCancellationAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"error: the demo did not finish within {StoryLimit.TotalMinutes} minutes");
        }
        finally
        {
            await RunServiceCtlAsync(workspace, "stop", CancellationToken.None);
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            if (succeeded && !keep)
            {
                Directory.Delete(workspace.Root, recursive: true);
            }
            else if (!succeeded)
            {
                Say($"workspace kept for inspection: {workspace.Root} (service.log, rewind.db)");
            }
        }

        return succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private async Task<bool> TellAsync(DemoWorkspace workspace, RewindClient client, CancellationToken cancellationToken)
    {
        await RunServiceCtlAsync(workspace, "start", cancellationToken);
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1", Commit: "a1b2c3d", RecordedBy: "demo"), cancellationToken);
        Say("deployed and recorded web v1; baking (bake time 3s, probe every 500ms)");
        await WaitForAsync(async () => (await client.GetReleasesAsync("web", cancellationToken)).Any(r => r is { Version: "v1", State: "stable" }), cancellationToken);
        Say("web v1 is stable: it is now the last known good");

        var switched = ReleaseDirectory.Switch(new SwitchStep(workspace.AppRoot, "v2", "v1"));
        await RunServiceCtlAsync(workspace, "restart", cancellationToken);
        var faultAt = TimeProvider.System.GetUtcNow();
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v2", Commit: "e4f5a6b", RecordedBy: "demo"), cancellationToken);
        Say($"deployed web v2 ({switched.Message}) and restarted: v2 answers 503 on /health and 500 on /");

        var incident = await FollowAsync(client, faultAt, cancellationToken);
        var rollback = incident.Rollbacks.Count > 0 ? await client.GetRollbackAsync(incident.Rollbacks[^1], cancellationToken) : null;
        var serving = await CheckServiceAsync(workspace, cancellationToken);
        Summarise(incident, rollback, faultAt, serving);
        return rollback is { Status: "succeeded" } && serving.Healthy && serving.Version == "v1";
    }

    private async Task<IncidentDto> FollowAsync(RewindClient client, DateTimeOffset faultAt, CancellationToken cancellationToken)
    {
        var shown = 0;
        while (true)
        {
            var incidents = await client.GetIncidentsAsync(cancellationToken);
            if (incidents.FirstOrDefault(i => i.Component == "web" && i.OpenedAt >= faultAt.AddSeconds(-1)) is { } summary)
            {
                var incident = await client.GetIncidentAsync(summary.Id, cancellationToken);
                foreach (var entry in incident.Timeline.Skip(shown))
                {
                    Say($"{incident.Id} {entry.Kind}: {OneLine(entry.Message)}");
                }

                shown = incident.Timeline.Count;
                var last = incident.Rollbacks.Count > 0 ? await client.GetRollbackAsync(incident.Rollbacks[^1], cancellationToken) : null;
                if (incident.Status == "resolved" || last is { Status: "failed" })
                {
                    return incident;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
        }
    }

    private void Summarise(IncidentDto incident, RollbackDto? rollback, DateTimeOffset faultAt, ServiceCheck serving)
    {
        console.WriteLine();
        console.MarkupLine($"[bold]{incident.Id}[/] ({incident.Severity}, {incident.Status}): {Markup.Escape(incident.Title)}");
        console.MarkupLine("timeline:");
        foreach (var entry in incident.Timeline)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  {Output.Render.Time(entry.At)}  {entry.Kind,-10} {Markup.Escape(OneLine(entry.Message))}"));
        }

        if (rollback is not null)
        {
            console.MarkupLine($"[bold]{rollback.Id}[/] {Markup.Escape(rollback.FromVersion ?? "?")} -> {Markup.Escape(rollback.ToVersion)}: {rollback.Status}");
            foreach (var step in rollback.Steps)
            {
                console.MarkupLine($"  {step.Index + 1}. {Markup.Escape(step.Description)}");
                console.MarkupLine($"     {step.Status} after {step.Attempts} attempt(s): {Markup.Escape(OneLine(step.Output ?? "-"))}");
            }
        }

        var detection = incident.OpenedAt - faultAt;
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"fault -> detection:    [bold]{detection.TotalSeconds:0.00} s[/] (v2 serving errors until the policy fired)"));
        if (rollback?.FinishedAt is { } finished)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"detection -> recovery: [bold]{(finished - incident.OpenedAt).TotalSeconds:0.00} s[/] (switch, restart, 3 healthy probes in a row)"));
        }

        console.MarkupLine(serving.Healthy && serving.Version == "v1"
            ? $"[green]now serving: {Markup.Escape(serving.Version)}, healthy[/] (checked over HTTP: {Markup.Escape(serving.Detail)})"
            : $"[red]not recovered[/]: {Markup.Escape(serving.Detail)}");
    }

    private static async Task<ServiceCheck> CheckServiceAsync(DemoWorkspace workspace, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(workspace.ServiceUrl + "/health"), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(body);
            var version = json.RootElement.TryGetProperty("version", out var v) ? v.GetString() ?? "?" : "?";
            return new ServiceCheck(response.IsSuccessStatusCode, version, $"GET /health -> {(int)response.StatusCode} {body}");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return new ServiceCheck(false, "?", $"GET /health failed: {ex.Message}");
        }
    }

    private async Task RunServiceCtlAsync(DemoWorkspace workspace, string verb, CancellationToken cancellationToken)
    {
        var argv = workspace.Sample.ServiceCtlArgv(verb, workspace.AppRoot, workspace.ServicePort);
        var result = await new ProcessRunner().RunAsync(new ProcessRequest(argv, workspace.Root, TimeSpan.FromSeconds(30)), cancellationToken);
        if (!result.Succeeded)
        {
            Say($"servicectl {verb}: {result.Describe()}: {result.Output.Trim()}");
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
        }
    }

    private static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop everything below
        }
    }

    private void Say(string message) =>
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[grey][[+{TimeProvider.System.GetElapsedTime(_started).TotalSeconds,5:0.0}s]][/] {Markup.Escape(message)}"));

    private static string OneLine(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private sealed record ServiceCheck(bool Healthy, string Version, string Detail);

    /// <summary>How the operator runs this CLI: <c>./rewind</c> from the repository (the launcher sets REWIND_HOME), else this binary's path (a package).</summary>
    private static string Invocation() =>
        Environment.GetEnvironmentVariable("REWIND_HOME") is { Length: > 0 } ? "./rewind"
        : Environment.ProcessPath is { } path && Path.GetFileName(path) != "dotnet" ? path : "rewind";
}
