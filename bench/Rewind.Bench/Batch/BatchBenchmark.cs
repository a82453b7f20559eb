using System.Globalization;

namespace Rewind.Bench.Batch;

/// <summary>
/// 127 functions behind a provider quota of 10 concurrent calls, 0.5 s per call, 2 % transient failures (the fake
/// cloud-functions CLI, real processes): Rewind's batch step against the sequential loop of a rollback script and the
/// quota bound ⌈127/10⌉ × 0.5 s. Every run starts from a fresh fleet and is checked with <c>audit</c> afterwards; the
/// variants of one run share a seed, so they meet the same failures. See docs/benchmarks.md.
/// </summary>
internal sealed class BatchBenchmark(bool quick, string repository)
{
    public const int Functions = 127;
    public const int Quota = 10;
    public const int LatencyMs = 500;
    public const double FailFraction = 0.02;
    public const int Concurrency = 10;
    public const int Retries = 3;
    public const string From = "v2";
    public const string Target = "v1";
    public const string Sequential = "sequential";

    /// <summary>
    /// Rewind's configuration for this quota first (the headline); then the default batch size, 50, which puts two
    /// barriers in 127 members; then two callers more than the quota.
    /// </summary>
    public static IReadOnlyList<RewindVariant> Variants { get; } =
    [
        new("rewind", F($"rewind batch step (batch-size {Functions}, concurrency {Concurrency})"), Functions, Concurrency),
        new("rewind-default-batch-size", "rewind, default batch-size 50 (2 barriers)", 50, Concurrency),
        new("rewind-concurrency-12", "rewind, concurrency 12 (over the quota)", Functions, 12),
    ];

    public static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(200);

    /// <summary>⌈127/10⌉ × 0.5 s: no runner can do better while calls take 0.5 s and 10 may run at once.</summary>
    public static double QuotaBoundSeconds => Math.Ceiling((double)Functions / Quota) * LatencyMs / 1000.0;

    public async Task<int> RunAsync()
    {
        var runs = quick ? 1 : 3;
        var loadBefore = Load();
        Console.WriteLine(F($"batch benchmark: {Functions} functions, quota {Quota} concurrent, {LatencyMs} ms per call, {FailFraction:0.##%} transient failures; {runs} run(s); load average {loadBefore}"));
        var results = new List<RunResult>();
        try
        {
            for (var i = 1; i <= runs; i++)
            {
                var seed = F($"batch-{i}");
                foreach (var variant in Variants)
                {
                    results.Add(await InFleetAsync(seed, fleet => RewindBatchRun.RunAsync(variant.Name, fleet, variant.BatchSize, variant.Concurrency, seed)));
                }

                results.Add(await InFleetAsync(seed, fleet => SequentialLoop.RunAsync(fleet, seed)));
                Console.Error.WriteLine(F($"run {i}/{runs} (seed {seed}): ") + string.Join(", ", results.TakeLast(Variants.Count + 1).Select(r => F($"{r.Variant} {r.WallSeconds:0.000}s"))));
            }
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine("batch benchmark FAILED: " + ex.Message);
            return 1;
        }

        new BatchReport(repository, results, runs, loadBefore, Load()).Write();
        return 0;
    }

    private async Task<RunResult> InFleetAsync(string seed, Func<FunctionsFleet, Task<RunResult>> run)
    {
        using var fleet = await FunctionsFleet.InitAsync(repository, seed);
        return await run(fleet);
    }

    /// <summary>The 1, 5 and 15 minute load averages, as uptime prints them.</summary>
    private static string Load() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A configuration of Rewind's batch step measured in every run.</summary>
internal sealed record RewindVariant(string Name, string Label, int BatchSize, int Concurrency);

/// <summary>
/// One variant's run: wall time of the rollback of the whole fleet, what the fake's log says about its calls, and for
/// Rewind the median phases of a call.
/// </summary>
internal sealed record RunResult(string Variant, string Seed, double WallSeconds, CallCounts Calls, CallPhases? Phases, string Summary);
