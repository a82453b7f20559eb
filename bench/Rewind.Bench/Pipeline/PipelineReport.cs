using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rewind.Bench.Pipeline;

/// <summary>The table, <c>bench/results/pipeline.json</c> and the headline line of the pipeline benchmark.</summary>
internal sealed class PipelineReport(string repository, IReadOnlyList<RunResult> runs, IReadOnlyDictionary<string, string> versions)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }; // α and β as written, in a file only people read

    public void Write()
    {
        var rewind = Of(runs.Select(r => r.Rewind));
        Console.WriteLine(F($"fault: deploy of v2 (v1 {100 * PipelineRun.BackgroundErrorFraction:0.#} % errors -> v2 {100 * PipelineRun.FaultErrorFraction:0} %), {PipelineRun.RequestsPerSecond:0} requests/s to /; time from v2's first answer, {runs.Count} run(s)"));
        Console.WriteLine(F($"  {"watcher: fault -> step",-52} {"median",9} {"p90",9} {"min",9} {"max",9}"));
        Row(F($"rewind (scrape {PipelineRun.RewindScrapeInterval}, regression policy): decision"), rewind);
        var pipelines = new Dictionary<string, object>(StringComparer.Ordinal);
        var webhooks = new Dictionary<string, Stats?>(StringComparer.Ordinal);
        foreach (var settings in PipelineBenchmark.Pipelines)
        {
            var times = runs.Select(r => r.Pipelines.Single(p => p.Name == settings.Name)).ToList();
            var active = Of(times.Select(t => t.Active));
            var firing = Of(times.Select(t => t.Firing));
            var webhook = Of(times.Select(t => t.Webhook));
            webhooks[settings.Name] = webhook;
            Row($"prometheus {settings.Name}: condition true (pending)", active);
            Row($"prometheus {settings.Name}: alert firing", firing);
            Row($"prometheus {settings.Name}: webhook received", webhook);
            pipelines[settings.Name] = new { settings, expression = settings.Expression, active, firing, webhook };
        }

        foreach (var settings in PipelineBenchmark.Pipelines)
        {
            Console.WriteLine($"  {settings.Name}: {settings.Describe()}");
        }

        Console.WriteLine(F($"  rewind: scrape {PipelineRun.RewindScrapeInterval}, regression policy (sequential test, defaults: factor 10, false-alarm 0.001, miss 0.01, p0 measured on v1), mode notify"));
        Console.WriteLine(F($"  traffic: {runs.Sum(r => r.Answered)} answered, {runs.Sum(r => r.ServerErrors)} of them 5xx, {runs.Sum(r => r.Unanswered)} unanswered (restart), {runs.Sum(r => r.Dropped)} dropped; deploy gap median {Stats.Of([.. runs.Select(r => r.DeployGapSeconds)]).Median:0.000}s"));

        var ratio = Ratio(webhooks["typical"], rewind);
        var ratioTuned = Ratio(webhooks["tuned"], rewind);
        var ratioFastest = Ratio(webhooks["fastest"], rewind);
        var json = JsonSerializer.Serialize(new
        {
            benchmark = "pipeline",
            runs = runs.Count,
            versions,
            requestsPerSecond = PipelineRun.RequestsPerSecond,
            backgroundErrorFraction = PipelineRun.BackgroundErrorFraction,
            faultErrorFraction = PipelineRun.FaultErrorFraction,
            rewind = new { scrapeInterval = PipelineRun.RewindScrapeInterval, policy = "regression (defaults), mode notify", decision = rewind },
            pipelines,
            ratio,
            ratioTuned,
            ratioFastest,
            raw = runs,
        }, Indented);
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "pipeline.json"), json);
        Console.WriteLine(F($"ratio={Number(ratio, "0.0")} ratio_tuned={Number(ratioTuned, "0.0")} ratio_fastest={Number(ratioFastest, "0.0")} rewind_detect_s={Median(rewind)} prometheus_detect_s={Median(webhooks["typical"])} prometheus_tuned_detect_s={Median(webhooks["tuned"])} prometheus_fastest_detect_s={Median(webhooks["fastest"])} runs={runs.Count}"));
    }

    /// <summary>Order statistics of the runs where the step happened; null when it happened in none.</summary>
    private static Stats? Of(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : Stats.Of(present);
    }

    /// <summary>How many times longer the pipeline took than Rewind, on medians.</summary>
    private static double? Ratio(Stats? pipeline, Stats? rewind) =>
        pipeline is not null && rewind is { Median: > 0 } ? pipeline.Median / rewind.Median : null;

    private static string Median(Stats? stats) => Number(stats?.Median, "0.000");

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "none";

    /// <summary>A row; when the step did not happen in every run, how many runs it happened in.</summary>
    private void Row(string name, Stats? stats) => Console.WriteLine(stats is null
        ? $"  {name,-52} {"none",9}"
        : F($"  {name,-52} {stats.Median,8:0.000}s {stats.P90,8:0.000}s {stats.Min,8:0.000}s {stats.Max,8:0.000}s{(stats.Count < runs.Count ? F($"  ({stats.Count} of {runs.Count} runs)") : "")}"));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
