using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Releases;
using Rewind.Runtime.Samples;
using Rewind.Server;

namespace Rewind.Bench.Pipeline;

/// <summary>Seconds from the fault to each step of one watcher; null when it did not happen within the limit.</summary>
internal sealed record WatcherTimes(string Name, double? Active, double? Firing, double? Webhook);

/// <summary>One run: Rewind's delay, each alerting pipeline's, and what the traffic looked like.</summary>
internal sealed record RunResult(
    DateTimeOffset FaultAt, DateTimeOffset PolledAt, double DeployGapSeconds, double? Rewind, string? RewindEvidence, IReadOnlyList<WatcherTimes> Pipelines,
    long Answered, long ServerErrors, long Unanswered, long Dropped);

/// <summary>
/// One run, everything fresh: the sample service on v1, a Rewind controller, the alerting pipelines and the traffic;
/// a warm-up so every watcher has a full window of healthy history; the bad deploy; then wait for every action.
/// </summary>
internal sealed class PipelineRun(string repository)
{
    public const double RequestsPerSecond = 50;
    public const double BackgroundErrorFraction = 0.005;
    public const double FaultErrorFraction = 0.2;
    public const string RewindScrapeInterval = "1s";

    /// <summary>At least the typical rate window (1m) plus a scrape of healthy history before the fault.</summary>
    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(75);

    /// <summary>A random extra wait, so the fault lands at a random phase of every scrape and evaluation clock.</summary>
    public static readonly TimeSpan WarmupJitter = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan ActionLimit = TimeSpan.FromSeconds(240);

    private readonly string _root = Directory.CreateTempSubdirectory("rewind-bench-pipeline-").FullName;
    private readonly int _samplePort = SampleRelease.FreeLoopbackPort();
    private readonly int _apiPort = SampleRelease.FreeLoopbackPort();

    private string App => Path.Combine(_root, "app");

    private string ServiceCtl => Path.Combine(repository, "samples", "servicectl");

    public async Task<RunResult> RunAsync()
    {
        try
        {
            var build = Path.Combine(repository, ".artifacts", "bin", "SampleService", "release");
            SampleRelease.Install(build, App, "v1", broken: false, errorFraction: BackgroundErrorFraction);
            SampleRelease.Install(build, App, "v2", broken: false, errorFraction: FaultErrorFraction);
            File.CreateSymbolicLink(Path.Combine(App, "current"), "releases/v1");
            var parsed = ConfigParser.Parse(RewindConfigText(), "pipeline.yaml", _root);
            if (!parsed.IsValid)
            {
                throw new InvalidOperationException("bench config: " + string.Join("; ", parsed.Errors));
            }

            await ServiceCtlAsync("start");
            await using var app = await RewindServer.CreateAsync(parsed.Config!, new RewindServerOptions { MinimumLogLevel = LogLevel.Error });
            var token = await Rewind.Server.Access.AccessBootstrap.AdminTokenAsync(app.Services, "bench", "bench");
            await app.StartAsync();
            try
            {
                return await WatchDeployAsync(token);
            }
            finally
            {
                await app.StopAsync();
            }
        }
        finally
        {
            await ServiceCtlAsync("stop");
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<RunResult> WatchDeployAsync(string token)
    {
        var pipelines = new List<AlertingPipeline>();
        try
        {
            await using var webhook = new WebhookReceiver(SampleRelease.FreeLoopbackPort());
            foreach (var settings in PipelineBenchmark.Pipelines)
            {
                pipelines.Add(await AlertingPipeline.StartAsync(_root, settings, _samplePort, webhook.Port));
            }

            using var http = new HttpClient { BaseAddress = new Uri(F($"http://127.0.0.1:{_apiPort}/")) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var client = new RewindClient(http);
            await WaitAsync(() => ServesAsync("v1"), "v1 to answer", TimeSpan.FromSeconds(30));
            await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
            await using var load = new LoadGenerator(new Uri(F($"http://127.0.0.1:{_samplePort}/")), RequestsPerSecond);
            await WaitAsync(async () => (await Task.WhenAll(pipelines.Select(p => p.TargetUpAsync()))).All(up => up), "Prometheus to scrape the service", TimeSpan.FromSeconds(60));
            var warmup = Stopwatch.StartNew();
            await WaitAsync(async () => (await client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), "v1 to become stable", Warmup);
            var rest = Warmup + (WarmupJitter * Random.Shared.NextDouble()) - warmup.Elapsed;
            await Task.Delay(rest > TimeSpan.Zero ? rest : TimeSpan.Zero);

            var (faultAt, polledAt, gap) = await DeployBadReleaseAsync(load);
            await client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
            var (rewindAt, evidence, times) = await WatchAsync(client, webhook, pipelines, faultAt);
            return new RunResult(faultAt, polledAt, gap, Since(faultAt, rewindAt), evidence, times, load.Ok, load.ServerErrors, load.Failed, load.Dropped);
        }
        finally
        {
            foreach (var pipeline in pipelines)
            {
                await pipeline.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// What a deploy script does: switch <c>current</c> to v2 and restart. The fault starts with v2's first answer: the
    /// earlier of the first v2 answer the traffic got and the first v2 answer to a <c>/health</c> poll every 5 ms.
    /// </summary>
    private async Task<(DateTimeOffset FaultAt, DateTimeOffset PolledAt, double GapSeconds)> DeployBadReleaseAsync(LoadGenerator load)
    {
        load.WatchFor("sample service v2");
        var clock = Stopwatch.StartNew();
        ReleaseDirectory.Switch(App, "v2");
        await ServiceCtlAsync("restart");
        var polling = Stopwatch.StartNew();
        while (!await ServesAsync("v2"))
        {
            if (polling.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("v2 did not answer after the deploy");
            }

            await Task.Delay(5);
        }

        var polled = DateTimeOffset.UtcNow;
        var gap = clock.Elapsed.TotalSeconds;
        return (load.MarkerSeenAt is { } seen && seen < polled ? seen : polled, polled, gap);
    }

    /// <summary>Polls until Rewind decided and every pipeline's webhook arrived, or the limit passed.</summary>
    private static async Task<(DateTimeOffset? RewindAt, string? Evidence, IReadOnlyList<WatcherTimes> Times)> WatchAsync(
        RewindClient client, WebhookReceiver webhook, List<AlertingPipeline> pipelines, DateTimeOffset faultAt)
    {
        DateTimeOffset? rewindAt = null;
        string? evidence = null;
        var active = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ActionLimit)
        {
            if (rewindAt is null && await RegressionDecisionAsync(client) is { } decision)
            {
                (rewindAt, evidence) = (decision.At, decision.Message);
            }

            foreach (var pipeline in pipelines.Where(p => !active.ContainsKey(p.Settings.Name) && webhook.FirstFiring(p.WebhookPath) is not null))
            {
                active[pipeline.Settings.Name] = await pipeline.ActiveSinceAsync(); // asked while the alert is still active
            }

            if (rewindAt is not null && active.Count == pipelines.Count)
            {
                break;
            }

            await Task.Delay(25);
        }

        var times = pipelines.Select(p =>
        {
            var notification = webhook.FirstFiring(p.WebhookPath);
            return new WatcherTimes(p.Settings.Name, Since(faultAt, active.GetValueOrDefault(p.Settings.Name)), Since(faultAt, notification?.FiredAt), Since(faultAt, notification?.ReceivedAt));
        }).ToList();
        return (rewindAt, evidence, times);
    }

    /// <summary>The timeline entry the regression policy wrote when it fired: Rewind's own timestamp of its decision.</summary>
    private static async Task<TimelineEventDto?> RegressionDecisionAsync(RewindClient client)
    {
        foreach (var summary in await client.GetIncidentsAsync())
        {
            var incident = await client.GetIncidentAsync(summary.Id);
            if (incident.Timeline.FirstOrDefault(e => e.Kind == "evidence" && e.Message.StartsWith("policy regressed:", StringComparison.Ordinal)) is { } entry)
            {
                return entry;
            }
        }

        return null;
    }

    private static double? Since(DateTimeOffset faultAt, DateTimeOffset? at) => at is { } t ? (t - faultAt).TotalSeconds : null;

    private string RewindConfigText() => F($$"""
        store: sqlite:{{Path.Combine(_root, "rewind.db")}}
        server:
          listen: http://127.0.0.1:{{_apiPort}}
        components:
          web:
            provider:
              release-dir:
                path: {{JsonSerializer.Serialize(App)}}
                restart: [{{JsonSerializer.Serialize(ServiceCtl)}}, restart, {{JsonSerializer.Serialize(App)}}, "{{_samplePort}}"]
            probes:
              health:
                http: { url: "http://127.0.0.1:{{_samplePort}}/health", json-field: { path: status, equals: ok } }
                interval: 1s
                timeout: 800ms
            scrapes:
              app: { url: "http://127.0.0.1:{{_samplePort}}/metrics", interval: {{RewindScrapeInterval}}, timeout: 800ms }
            policies:
              regressed:
                when: { regression: { scrape: app } }
                severity: P1
                mode: notify
            bake-time: 10s
        """);

    /// <summary>A short timeout, so a connection the stopping v1 accepted but never answers cannot delay the fault's timestamp.</summary>
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromMilliseconds(250) };

    private async Task<bool> ServesAsync(string version)
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri(F($"http://127.0.0.1:{_samplePort}/health")));
            return (await response.Content.ReadAsStringAsync()).Contains($"\"version\":\"{version}\"", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task ServiceCtlAsync(string verb)
    {
        var result = await new ProcessRunner().RunAsync(new ProcessRequest([ServiceCtl, verb, App, _samplePort.ToString(CultureInfo.InvariantCulture)], _root, TimeSpan.FromSeconds(30)));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"servicectl {verb}: {result.Describe()}: {result.Output}");
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(50);
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
