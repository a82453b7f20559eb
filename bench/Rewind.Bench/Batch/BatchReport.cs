using System.Globalization;
using System.Text.Json;

namespace Rewind.Bench.Batch;

/// <summary>The table, <c>bench/results/batch.json</c> and the headline line of the batch benchmark.</summary>
internal sealed class BatchReport(string repository, IReadOnlyList<RunResult> results, int runs, string loadBefore, string loadAfter)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Write()
    {
        var bound = BatchBenchmark.QuotaBoundSeconds;
        Console.WriteLine(F($"  {"variant",-52} {"median",8} {"min",8} {"max",8} {"/bound",6} {"calls",5} {"fails",5} {"quota",5} {"most",4} {"slots",5} {"idle",6}"));
        var stats = new Dictionary<string, Stats>(StringComparer.Ordinal);
        foreach (var (variant, label) in BatchBenchmark.Variants.Select(v => (v.Name, v.Label)).Append((BatchBenchmark.Sequential, "sequential loop (one call at a time, 3 retries)")))
        {
            var mine = results.Where(r => r.Variant == variant).ToList();
            var wall = stats[variant] = Stats.Of([.. mine.Select(r => r.WallSeconds)]);
            var busy = mine.Average(r => r.Calls.SlotSeconds / (BatchBenchmark.Quota * r.WallSeconds));
            var idle = mine.Average(r => r.Calls.IdleSlotSecondsPerCall(r.WallSeconds));
            Console.WriteLine(F($"  {label,-52} {wall.Median,7:0.000}s {wall.Min,7:0.000}s {wall.Max,7:0.000}s {wall.Median / bound,6:0.00} {mine.Average(r => r.Calls.Attempts),5:0.#} {mine.Average(r => r.Calls.Transient),5:0.#} {mine.Average(r => r.Calls.QuotaErrors),5:0.#} {mine.Max(r => r.Calls.MostQuotaErrors),4} {busy,5:0%} {1000 * idle,4:0}ms"));
        }

        Console.WriteLine(F($"  {"quota bound: ceil(127/10) x 0.5 s (computed)",-52} {bound,7:0.000}s"));
        Console.WriteLine("  calls: rollback calls that got a quota slot; fails: transient failures (exit 1); quota: quota errors (exit 8), each a");
        Console.WriteLine("  back-off; most: the most quota errors one member met; slots: share of the quota's slot time in use; idle: unused");
        Console.WriteLine("  slot time per call. Means over the runs (most: the highest).");
        var phases = CallPhases.Median([.. results.Where(r => r.Variant == "rewind" && r.Phases is not null).Select(r => r.Phases!)]);
        if (phases is not null)
        {
            Console.WriteLine(F($"  rewind, one call (median ms): write ahead {phases.WriteAhead:0.0}, process start {phases.Start:0.0}, to slot {phases.ToSlot:0.0}, in slot {phases.InSlot:0.0}, after slot {phases.AfterSlot:0.0}, exit {phases.Exit:0.0}, write after {phases.WriteAfter:0.0}; outside the slot {phases.Outside:0.0}"));
            Console.WriteLine(F($"  call-cost bound on this machine now: ceil(127/10) x (in slot + outside) = {CallCostBound(phases):0.000}s"));
        }

        Console.WriteLine(F($"  load average before {loadBefore}, after {loadAfter}"));

        var rewind = stats["rewind"].Median;
        var sequential = stats[BatchBenchmark.Sequential].Median;
        var rewindRuns = results.Where(r => r.Variant == "rewind").ToList();
        var json = JsonSerializer.Serialize(new
        {
            benchmark = "batch",
            runs,
            scenario = new { functions = BatchBenchmark.Functions, quota = BatchBenchmark.Quota, latencyMs = BatchBenchmark.LatencyMs, failFraction = BatchBenchmark.FailFraction },
            rewindStep = new { retries = BatchBenchmark.Retries, backoffMs = BatchBenchmark.Backoff.TotalMilliseconds, quotaErrors = "RESOURCE_EXHAUSTED", ledger = "sqlite store", variants = BatchBenchmark.Variants },
            quotaBoundSeconds = bound,
            wall = stats,
            callPhasesMs = phases,
            callCostBoundSeconds = phases is null ? (double?)null : CallCostBound(phases),
            batchRatioToQuotaBound = rewind / bound,
            sequentialOverBatch = sequential / rewind,
            load = new { before = loadBefore, after = loadAfter },
            raw = results,
        }, Indented);
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "batch.json"), json);
        var others = string.Join(' ', BatchBenchmark.Variants.Skip(1).Select(v => F($"{v.Name.Replace('-', '_')}_s={stats[v.Name].Median:0.000}")));
        Console.WriteLine(F($"batch_ratio_to_quota_bound={rewind / bound:0.00} sequential_over_batch={sequential / rewind:0.0} rewind_batch_s={rewind:0.000} sequential_s={sequential:0.000} quota_bound_s={bound:0.0} rewind_attempts={rewindRuns.Average(r => r.Calls.Attempts):0.#} rewind_quota_backoffs={rewindRuns.Average(r => r.Calls.QuotaErrors):0.#} {others}{(phases is null ? "" : F($" ratio_to_call_cost_bound={rewind / CallCostBound(phases):0.00} call_cost_bound_s={CallCostBound(phases):0.000} call_outside_slot_ms={phases.Outside:0}"))} runs={runs}"));
    }

    /// <summary>The quota bound with each call costing what it cost here: the slot time plus the time outside it, both medians.</summary>
    private static double CallCostBound(CallPhases phases) =>
        Math.Ceiling((double)BatchBenchmark.Functions / BatchBenchmark.Quota) * (phases.InSlot + phases.Outside) / 1000;

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
