using System.Text.Json;

namespace Rewind.Bench.Backups;

/// <summary>The table, <c>bench/results/verify.json</c> and the headline line of the verify benchmark.</summary>
internal sealed class VerifyReport(string repository, IReadOnlyList<VerifyVariant> variants, IReadOnlyList<VerifySample> samples, int scale, long databaseBytes, long fileBytes, int files, long gzipStoredBytes, int runs, string loadBefore, string loadAfter)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Write()
    {
        Console.WriteLine(Pg.F($"  database bench {databaseBytes / 1e9:0.00} GB (pgbench scale {scale}); the plain set: {files} files, {fileBytes / 1e9:0.000} GB, checked by all; gzip set stored in {gzipStoredBytes / 1e9:0.000} GB"));
        Console.WriteLine(Pg.F($"  {"variant",-50} {"median",9} {"min",9} {"max",9} {"seconds",8}"));
        var medians = new Dictionary<string, double>(StringComparer.Ordinal);
        var stats = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var variant in variants)
        {
            var mine = samples.Where(s => s.Variant == variant.Name).ToList();
            var rate = Stats.Of([.. mine.Select(s => s.MegabytesPerSecond)]);
            var seconds = Stats.Of([.. mine.Select(s => s.Seconds)]);
            medians[variant.Name] = rate.Median;
            stats[variant.Name] = new { megabytesPerSecond = rate, seconds, bytes = mine[0].Bytes };
            Console.WriteLine(Pg.F($"  {variant.Label,-50} {rate.Median,4:0} MB/s {rate.Min,4:0} MB/s {rate.Max,4:0} MB/s {seconds.Median,7:0.000}s"));
        }

        Console.WriteLine("  MB/s: plain bytes (10^6) checked per second, from the page cache (every variant ran once untimed first). Medians.");
        Console.WriteLine(Pg.F($"  load average before {loadBefore}, after {loadAfter}"));
        var rewind = medians["rewind"];
        var json = JsonSerializer.Serialize(new
        {
            benchmark = "verify",
            runs,
            database = new { scale, bytes = databaseBytes, setFiles = files, setBytes = fileBytes, gzipStoredBytes },
            stats,
            verifyRatioVsSha256sum = rewind / medians["sha256sum"],
            verifyRatioVsSha256sum2 = rewind / medians["sha256sum_2"],
            load = new { before = loadBefore, after = loadAfter },
            raw = samples,
        }, Indented);
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "verify.json"), json);
        Console.WriteLine(Pg.F($"verify_ratio_vs_sha256sum={rewind / medians["sha256sum"]:0.00} verify_ratio_vs_sha256sum_2proc={rewind / medians["sha256sum_2"]:0.00} rewind_mb_s={rewind:0} sha256sum_mb_s={medians["sha256sum"]:0} rewind_1thread_mb_s={medians["rewind_1"]:0} sha256sum_2proc_mb_s={medians["sha256sum_2"]:0} rewind_gzip_mb_s={medians["rewind_gzip"]:0} set_gb={fileBytes / 1e9:0.000} scale={scale} runs={runs}"));
    }
}
