using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;
using Rewind.Runtime.Traffic;
using Rewind.Server;

namespace Rewind.Bench.Recovery;

/// <summary>
/// Decision → all traffic back on the known-good release behind a real HAProxy, by a full plan: two sample services,
/// <b>green</b> on the bad release v2 (every request to <c>/</c> answers 500, <c>/health</c> stays ok, so HAProxy keeps
/// sending it traffic) and <b>blue</b>, warm on v1 at weight 0. Rewind's plan: <c>switch</c> (blue's release-dir on
/// v1), <c>wait-healthy</c> (blue, 3 passes), <c>traffic</c> 25/50/75/100 % onto blue with a <see cref="Gate"/> after
/// each stage. Side by side, <b>bare</b> does the same operations without Rewind: 3 healthy answers from blue 250 ms
/// apart, then each stage's weights through HAProxy's runtime API and the same gate, polling HAProxy every 100 ms.
/// Both end when 20 requests in a row through the frontend answer 200 with v1.
/// </summary>
internal sealed class TrafficRecovery(string repository, bool quick)
{
    /// <summary>1 s: short enough for a benchmark, long enough that stages × gate is most of the figure.</summary>
    public static readonly TimeSpan Gate = TimeSpan.FromSeconds(1);

    public static readonly IReadOnlyList<int> Steps = [25, 50, 75, 100];

    private const string Backend = "web";
    private const int ProofRequests = 20;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    public async Task<TrafficResults> RunAsync()
    {
        var runs = quick ? 1 : 5;
        var root = Directory.CreateTempSubdirectory("rewind-bench-traffic-").FullName;
        var blue = new Side("blue", Path.Combine(root, "blue"), SampleRelease.FreeLoopbackPort());
        var green = new Side("green", Path.Combine(root, "green"), SampleRelease.FreeLoopbackPort());
        var build = Path.Combine(repository, ".artifacts", "bin", "SampleService", "release");
        SampleRelease.Install(build, blue.Root, "v1", broken: false);
        SampleRelease.Install(build, green.Root, "v2", broken: false, errorFraction: 1.0);
        File.CreateSymbolicLink(Path.Combine(blue.Root, "current"), "releases/v1");
        File.CreateSymbolicLink(Path.Combine(green.Root, "current"), "releases/v2");
        var results = new TrafficResults(runs, Gate.TotalSeconds, Steps.Count);
        await ServiceCtlAsync("start", blue, root);
        await ServiceCtlAsync("start", green, root);
        try
        {
            await MeasureAsync(root, blue, green, results);
        }
        finally
        {
            await ServiceCtlAsync("stop", blue, root);
            await ServiceCtlAsync("stop", green, root);
        }

        Directory.Delete(root, recursive: true);
        return results;
    }

    private static async Task MeasureAsync(string root, Side blue, Side green, TrafficResults results)
    {
        var apiPort = SampleRelease.FreeLoopbackPort();
        await using var haproxy = await HaproxyPeer.StartAsync(root, Backend, SampleRelease.FreeLoopbackPort(), [("green", green.Port, 256), ("blue", blue.Port, 0)]);
        results.Haproxy = await Pipeline.PeerProcess.VersionAsync(HaproxyPeer.Binary);
        var parsed = ConfigParser.Parse(Config(root, apiPort, blue, haproxy.Socket), "bench-traffic.yaml", root);
        if (!parsed.IsValid)
        {
            throw new InvalidOperationException(string.Join("\n", parsed.Errors));
        }

        await using var app = await RewindServer.CreateAsync(parsed.Config!, new RewindServerOptions { MinimumLogLevel = LogLevel.Error });
        var token = await Rewind.Server.Access.AccessBootstrap.AdminTokenAsync(app.Services, "bench", "bench");
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/") };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var client = new RewindClient(http);
            await WaitAsync(async () => await UpAsync(haproxy, "blue") && await UpAsync(haproxy, "green"), "HAProxy to see both servers up");
            await client.RecordReleaseAsync("shop", new RecordReleaseRequest("v1"));
            await WaitAsync(async () => (await client.GetReleasesAsync("shop")).Any(r => r is { Version: "v1", State: "stable" }), "v1 to become stable");
            for (var i = 1; i <= results.Runs; i++)
            {
                await PutOnGreenAsync(haproxy);
                await client.RecordReleaseAsync("shop", new RecordReleaseRequest(string.Create(CultureInfo.InvariantCulture, $"v2.{i}")));
                var (rewind, plan) = await MeasureRewindAsync(client, haproxy);
                results.Rewind.Add(rewind);
                results.Plan.Add(plan);
                await PutOnGreenAsync(haproxy);
                results.Bare.Add(await MeasureBareAsync(haproxy, blue));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"traffic run {i}/{results.Runs}: rewind {rewind:0.000}s (plan {plan:0.000}s), bare {results.Bare[^1]:0.000}s"));
            }
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>Requested → succeeded and proven through the frontend, timed here; and the plan alone, by the controller's clock.</summary>
    private static async Task<(double Total, double Plan)> MeasureRewindAsync(RewindClient client, HaproxyPeer haproxy)
    {
        var clock = Stopwatch.StartNew();
        var rollback = await client.RequestRollbackAsync(new RollbackRequest("shop", "bench: v2 answers 500", ToVersion: "v1"));
        while (rollback.Status is not ("succeeded" or "failed"))
        {
            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"rollback {rollback.Id} did not finish");
            }

            await Task.Delay(10);
            rollback = await client.GetRollbackAsync(rollback.Id);
        }

        if (rollback.Status != "succeeded")
        {
            throw new InvalidOperationException($"rollback {rollback.Id} failed: {rollback.Error}");
        }

        await ProveOnBlueAsync(haproxy);
        return (clock.Elapsed.TotalSeconds, (rollback.FinishedAt!.Value - rollback.RequestedAt).TotalSeconds);
    }

    private static async Task<double> MeasureBareAsync(HaproxyPeer haproxy, Side blue)
    {
        var clock = Stopwatch.StartNew();
        for (var passes = 0; passes < 3;)
        {
            passes = await HealthyAsync(blue.Port) ? passes + 1 : 0;
            if (passes < 3)
            {
                await Task.Delay(250);
            }
        }

        await WaitAsync(() => UpAsync(haproxy, "blue"), "blue to be up in HAProxy");
        foreach (var percent in Steps)
        {
            var weight = ((256 * percent) + 50) / 100;
            await haproxy.Runtime.SetWeightAsync(Backend, "blue", weight);
            await haproxy.Runtime.SetWeightAsync(Backend, "green", 256 - weight);
            var gate = Stopwatch.StartNew();
            do
            {
                if (!await UpAsync(haproxy, "blue"))
                {
                    throw new InvalidOperationException($"blue left up during the gate of {percent}%");
                }

                await Task.Delay(Min(TimeSpan.FromMilliseconds(100), Gate - gate.Elapsed));
            }
            while (gate.Elapsed < Gate);
        }

        await ProveOnBlueAsync(haproxy);
        return clock.Elapsed.TotalSeconds;

        static TimeSpan Min(TimeSpan a, TimeSpan b) => b < TimeSpan.Zero ? TimeSpan.Zero : a < b ? a : b;
    }

    /// <summary>All traffic back on green (the bad release) and the frontend answering 500, as after the bad deploy.</summary>
    private static async Task PutOnGreenAsync(HaproxyPeer haproxy)
    {
        await haproxy.Runtime.SetWeightAsync(Backend, "green", 256);
        await haproxy.Runtime.SetWeightAsync(Backend, "blue", 0);
        await WaitAsync(async () => await AnswerAsync(haproxy.FrontendUrl) == 500, "the frontend to answer 500 from green");
    }

    private static async Task ProveOnBlueAsync(HaproxyPeer haproxy)
    {
        for (var i = 0; i < ProofRequests; i++)
        {
            var body = await Http.GetStringAsync(haproxy.FrontendUrl);
            if (!body.Contains("v1", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"request {i + 1} through the frontend answered '{body.Trim()}', not v1");
            }
        }
    }

    private static async Task<bool> UpAsync(HaproxyPeer haproxy, string server) =>
        (await haproxy.Runtime.GetServersAsync(Backend)).Any(s => s.Name == server && s.Status == HaproxyServerStatus.Up && s.CheckStatus is "L7OK");

    private static async Task<int> AnswerAsync(Uri url)
    {
        using var response = await Http.GetAsync(url);
        return (int)response.StatusCode;
    }

    private static async Task<bool> HealthyAsync(int port)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    private async Task ServiceCtlAsync(string verb, Side side, string root)
    {
        var servicectl = Path.Combine(repository, "samples", "servicectl");
        var result = await new ProcessRunner().RunAsync(new ProcessRequest([servicectl, verb, side.Root, side.Port.ToString(CultureInfo.InvariantCulture)], root, TimeSpan.FromSeconds(30)));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"servicectl {verb} {side.Name}: {result.Describe()}: {result.Output}");
        }
    }

    private static string Config(string root, int apiPort, Side blue, string socket) => string.Create(CultureInfo.InvariantCulture, $$"""
        store: sqlite:{{Path.Combine(root, "rewind.db")}}
        server:
          listen: http://127.0.0.1:{{apiPort}}
        components:
          shop:
            provider:
              release-dir:
                path: {{JsonSerializer.Serialize(blue.Root)}}
            probes:
              blue:
                http:
                  url: http://127.0.0.1:{{blue.Port}}/health
                  json-field: { path: status, equals: ok }
                interval: 500ms
                timeout: 400ms
            bake-time: 1s
            healthy-successes: 3
            healthy-timeout: 60s
            plan:
              - switch: {}
              - wait-healthy: {}
              - traffic:
                  haproxy: { socket: {{JsonSerializer.Serialize(socket)}}, backend: {{Backend}} }
                  to: [blue]
                  from: [green]
                  steps: [{{string.Join(", ", Steps)}}]
                  gate: {{Gate.TotalMilliseconds}}ms
                  timeout: 1m
        """);

    private sealed record Side(string Name, string Root, int Port);
}
