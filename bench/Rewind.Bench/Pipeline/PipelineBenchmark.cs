using System.Globalization;

namespace Rewind.Bench.Pipeline;

/// <summary>
/// End to end against the usual pipeline: one bad deploy of the sample service (v1 with 0.5 % errors, then v2 with
/// 20 %) under steady traffic, watched at the same time by Rewind (a scrape every second and the regression policy)
/// and by real Prometheus + Alertmanager pipelines (typical, tuned and fastest settings) posting to a webhook in this
/// process. Measured: time from the fault (v2's first answer) to each watcher's action. See docs/benchmarks.md.
/// </summary>
internal sealed class PipelineBenchmark(bool quick, string repository)
{
    public static IReadOnlyList<AlertingSettings> Pipelines { get; } = [AlertingSettings.Typical, AlertingSettings.Tuned, AlertingSettings.Fastest];

    public async Task<int> RunAsync()
    {
        var runs = quick ? 1 : 3;
        var versions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["prometheus"] = await PeerProcess.VersionAsync(AlertingPipeline.PrometheusBinary),
            ["alertmanager"] = await PeerProcess.VersionAsync(AlertingPipeline.AlertmanagerBinary),
        };
        Console.WriteLine($"peers: {versions["prometheus"]}; {versions["alertmanager"]}");
        Console.WriteLine(F($"pipeline benchmark: {runs} run(s); each about {PipelineRun.Warmup.TotalSeconds:0}-{(PipelineRun.Warmup + PipelineRun.WarmupJitter).TotalSeconds:0} s of warm-up on v1, then the bad deploy, watched until every watcher acted (at most {PipelineRun.ActionLimit.TotalSeconds:0} s)"));
        var results = new List<RunResult>();
        for (var i = 1; i <= runs; i++)
        {
            var result = await new PipelineRun(repository).RunAsync();
            results.Add(result);
            Console.Error.WriteLine(F($"run {i}/{runs}: rewind {Seconds(result.Rewind)}, ") + string.Join(", ", result.Pipelines.Select(p => $"{p.Name} {Seconds(p.Webhook)}")));
        }

        new PipelineReport(repository, results, versions).Write();
        return results.All(r => r.Rewind is not null && r.Pipelines.All(p => p.Webhook is not null)) ? 0 : 1;
    }

    private static string Seconds(double? value) => value is { } v ? F($"{v:0.000}s") : "none";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
