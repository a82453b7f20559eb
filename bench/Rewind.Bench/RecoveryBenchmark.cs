using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rewind.Bench.Recovery;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Releases;
using Rewind.Server;

namespace Rewind.Bench;

/// <summary>
/// Fault → detection and decision → healthy on the last known good, for a release-dir component, measured N times and
/// compared in the same run with two baselines on an identical deployment that Rewind does not watch:
/// <b>bare</b>, the physical limit (rename, restart, poll every 10 ms until the first healthy answer), and
/// <b>bare+proof</b>, the same plus the proof Rewind gives (3 healthy answers in a row, 250 ms apart), and
/// <b>script</b>, the hand-written rollback script (bench/baselines/rollback.sh: rename, restart, curl once a second).
/// Then the second scenario, a full plan restoring traffic behind HAProxy (<see cref="TrafficRecovery"/>).
/// </summary>
internal sealed class RecoveryBenchmark(bool quick)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _repository = FindRepository();

    public async Task<int> RunAsync()
    {
        var iterations = quick ? 3 : 10;
        var workspace = new BenchWorkspace(_repository);
        workspace.Install("v1", broken: false);
        for (var i = 1; i <= iterations; i++)
        {
            workspace.Install($"bad-{i}", broken: true);
        }

        File.CreateSymbolicLink(Path.Combine(workspace.Watched, "current"), "releases/v1");
        File.CreateSymbolicLink(Path.Combine(workspace.Baseline, "current"), "releases/v1");
        var parsed = ConfigParser.Parse(workspace.Config(), "bench.yaml", workspace.Root);
        if (!parsed.IsValid)
        {
            parsed.Errors.ToList().ForEach(e => Console.Error.WriteLine(e));
            return 1;
        }

        await workspace.ServiceCtlAsync("start", workspace.Watched, workspace.WatchedPort);
        await workspace.ServiceCtlAsync("start", workspace.Baseline, workspace.BaselinePort);
        await using var app = await RewindServer.CreateAsync(parsed.Config!, new RewindServerOptions { MinimumLogLevel = LogLevel.Error });
        var token = await Rewind.Server.Access.AccessBootstrap.AdminTokenAsync(app.Services, "bench", "bench");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{workspace.ApiPort}/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var client = new RewindClient(http);
        var results = new Results();
        try
        {
            await WaitAsync(async () => await HealthyAsync(workspace.WatchedPort, "v1"), "v1 to start");
            await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
            await WaitAsync(async () => (await client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), "v1 to become stable");
            for (var i = 1; i <= iterations; i++)
            {
                var version = $"bad-{i}";
                await MeasureRewindAsync(workspace, client, version, results);
                results.Bare.Add(await MeasureBaselineAsync(workspace, version, BareRollbackAsync));
                results.BareVerified.Add(await MeasureBaselineAsync(workspace, version, BareVerifiedRollbackAsync));
                results.Script.Add(await MeasureBaselineAsync(workspace, version, ScriptRollbackAsync));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i}/{iterations}: detection {results.Detection[^1]:0.000}s, rewind {results.Recovery[^1]:0.000}s, bare {results.Bare[^1]:0.000}s, script {results.Script[^1]:0.000}s"));
            }
        }
        finally
        {
            await workspace.ServiceCtlAsync("stop", workspace.Watched, workspace.WatchedPort);
            await workspace.ServiceCtlAsync("stop", workspace.Baseline, workspace.BaselinePort);
            await app.StopAsync();
        }

        Directory.Delete(workspace.Root, recursive: true);
        var traffic = await new TrafficRecovery(_repository, quick).RunAsync();
        Report(results, iterations, traffic);
        return 0;
    }

    private static async Task MeasureRewindAsync(BenchWorkspace workspace, RewindClient client, string version, Results results)
    {
        ReleaseDirectory.Switch(workspace.Watched, version);
        await workspace.ServiceCtlAsync("restart", workspace.Watched, workspace.WatchedPort);
        var faultAt = DateTimeOffset.UtcNow;
        await client.RecordReleaseAsync("web", new RecordReleaseRequest(version));
        RollbackDto? rollback = null;
        await WaitAsync(
            async () => (rollback = (await client.GetRollbacksAsync()).FirstOrDefault(r => r.FromVersion == version && r.Status is "succeeded" or "failed")) is not null,
            $"the rollback away from {version}");
        if (rollback!.Status != "succeeded")
        {
            throw new InvalidOperationException($"rollback {rollback.Id} failed: {rollback.Error}");
        }

        var incident = await client.GetIncidentAsync(rollback.IncidentId!);
        results.Detection.Add((incident.OpenedAt - faultAt).TotalSeconds);
        results.Recovery.Add((rollback.FinishedAt!.Value - rollback.RequestedAt).TotalSeconds);
        results.FaultToHealthy.Add((rollback.FinishedAt!.Value - faultAt).TotalSeconds);
    }

    /// <summary>Puts the baseline deployment on the broken release, waits until it serves errors, then times the rollback.</summary>
    private static async Task<double> MeasureBaselineAsync(BenchWorkspace workspace, string version, Func<BenchWorkspace, Task> rollback)
    {
        ReleaseDirectory.Switch(workspace.Baseline, version);
        await workspace.ServiceCtlAsync("restart", workspace.Baseline, workspace.BaselinePort);
        await WaitAsync(async () => await ServesAsync(workspace.BaselinePort, version), $"the baseline to serve {version}");
        var clock = Stopwatch.StartNew();
        await rollback(workspace);
        var elapsed = clock.Elapsed.TotalSeconds;
        if (!await HealthyAsync(workspace.BaselinePort, "v1"))
        {
            throw new InvalidOperationException("the baseline did not end healthy on v1");
        }

        return elapsed;
    }

    private static async Task BareRollbackAsync(BenchWorkspace workspace)
    {
        ReleaseDirectory.Switch(workspace.Baseline, "v1");
        await workspace.ServiceCtlAsync("restart", workspace.Baseline, workspace.BaselinePort);
        var deadline = Stopwatch.StartNew();
        while (!await HealthyAsync(workspace.BaselinePort, "v1") && deadline.Elapsed < Limit)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>The bare operations plus the proof Rewind gives: 3 healthy answers in a row, 250 ms apart.</summary>
    private static async Task BareVerifiedRollbackAsync(BenchWorkspace workspace)
    {
        await BareRollbackAsync(workspace);
        for (var pass = 1; pass < 3; pass++)
        {
            await Task.Delay(250);
            if (!await HealthyAsync(workspace.BaselinePort, "v1"))
            {
                pass = 0;
            }
        }
    }

    private static async Task ScriptRollbackAsync(BenchWorkspace workspace)
    {
        var script = Path.Combine(workspace.RepositoryRoot, "bench", "baselines", "rollback.sh");
        var result = await new ProcessRunner().RunAsync(new ProcessRequest([script, workspace.Baseline, "v1", workspace.BaselinePort.ToString(CultureInfo.InvariantCulture)], workspace.Root, Limit));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"rollback.sh: {result.Describe()}: {result.Output}");
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(1) };

    private static async Task<bool> HealthyAsync(int port, string version)
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
            return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains($"\"version\":\"{version}\"", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> ServesAsync(int port, string version)
    {
        try
        {
            return (await Probe.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"))).Contains(version, StringComparison.Ordinal);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is not null)
        {
            return ex.StatusCode == System.Net.HttpStatusCode.InternalServerError; // the broken release answers 500 on /
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

    private void Report(Results results, int iterations, TrafficResults traffic)
    {
        var detection = Stats.Of(results.Detection);
        var recovery = Stats.Of(results.Recovery);
        var bare = Stats.Of(results.Bare);
        var script = Stats.Of(results.Script);
        var verified = Stats.Of(results.BareVerified);
        var total = Stats.Of(results.FaultToHealthy);
        Console.WriteLine($"recovery benchmark, release-dir, {iterations} runs (probe interval 500ms, failing-for 1s, 3 healthy passes to finish)");
        Console.WriteLine("measure                                   median      p90      min      max");
        Row("rewind: fault -> detection", detection);
        Row("rewind: decision -> healthy on LKG", recovery);
        Row("rewind: fault -> healthy on LKG", total);
        Row("baseline bare: rollback -> first healthy", bare);
        Row("baseline bare+proof: 3 passes, 250ms apart", verified);
        Row("baseline script: rollback.sh -> healthy", script);
        var ratioBare = recovery.Median / bare.Median;
        var ratioVerified = recovery.Median / verified.Median;
        var ratioScript = recovery.Median / script.Median;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratios (median): rewind/bare+proof {ratioVerified:0.00}x, rewind/bare {ratioBare:0.00}x, rewind/script {ratioScript:0.00}x; detection {detection.Median / 0.5:0.0} probe intervals"));
        var trafficRewind = Stats.Of(traffic.Rewind);
        var trafficPlan = Stats.Of(traffic.Plan);
        var trafficBare = Stats.Of(traffic.Bare);
        var gates = traffic.Stages * traffic.GateSeconds;
        var ratioTraffic = trafficRewind.Median / trafficBare.Median;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recovery benchmark, full plan with HAProxy traffic restoration, {traffic.Runs} runs ({traffic.Haproxy}; switch, wait-healthy, traffic 25/50/75/100 % with a {traffic.GateSeconds:0.###}s gate)"));
        Console.WriteLine("measure                                   median      p90      min      max");
        Row("rewind: requested -> 100% on v1, proven", trafficRewind);
        Row("rewind: requested -> plan finished", trafficPlan);
        Row("baseline bare: same ops, same gates", trafficBare);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (median): rewind/bare {ratioTraffic:0.00}x; {traffic.Stages} stages x {traffic.GateSeconds:0.###}s gate = {gates:0.###}s, the rest is switching cost: rewind {trafficRewind.Median - gates:0.000}s, bare {trafficBare.Median - gates:0.000}s"));
        var json = JsonSerializer.Serialize(
            new
            {
                benchmark = "recovery",
                iterations,
                detection,
                recovery,
                faultToHealthy = total,
                bare,
                bareVerified = verified,
                script,
                ratioVsBareVerified = ratioVerified,
                ratioVsBare = ratioBare,
                ratioVsScript = ratioScript,
                raw = results,
                traffic = new { runs = traffic.Runs, haproxy = traffic.Haproxy, gateSeconds = traffic.GateSeconds, stages = traffic.Stages, rewind = trafficRewind, plan = trafficPlan, bare = trafficBare, ratioToBare = ratioTraffic, raw = new { rewind = traffic.Rewind, plan = traffic.Plan, bare = traffic.Bare } },
            },
            Indented);
        Directory.CreateDirectory(Path.Combine(_repository, "bench", "results"));
        File.WriteAllText(Path.Combine(_repository, "bench", "results", "recovery.json"), json);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"traffic_plan_ratio_to_bare={ratioTraffic:0.00} ratio_vs_bare_proof={ratioVerified:0.00} ratio_vs_bare={ratioBare:0.00} ratio_vs_script={ratioScript:0.00} rewind_recovery_s={recovery.Median:0.000} bare_s={bare.Median:0.000} script_s={script.Median:0.000} detection_s={detection.Median:0.000} detection_intervals={detection.Median / 0.5:0.0} fault_to_healthy_s={total.Median:0.000} traffic_bare_s={trafficBare.Median:0.000} traffic_gate_s={traffic.GateSeconds:0.###} traffic_runs={traffic.Runs} release_dir_recovery_s={recovery.Median:0.000} traffic_plan_recovery_s={trafficRewind.Median:0.000}"));

        static void Row(string name, Stats stats) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {stats.Median,7:0.000}s {stats.P90,7:0.000}s {stats.Min,7:0.000}s {stats.Max,7:0.000}s"));
    }

    internal static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rewind.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmarks from a build inside the repository (bench/run)");
    }

    private sealed class Results
    {
        public List<double> Detection { get; } = [];

        public List<double> Recovery { get; } = [];

        public List<double> FaultToHealthy { get; } = [];

        public List<double> Bare { get; } = [];

        public List<double> BareVerified { get; } = [];

        public List<double> Script { get; } = [];
    }
}
