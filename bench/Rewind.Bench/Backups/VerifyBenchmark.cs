using System.Diagnostics;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Bench.Backups;

/// <summary>
/// Quick verification throughput on a base backup set of the generated pgbench database (scale 100; 5 with --quick):
/// Rewind's <c>BackupVerifier</c> on an uncompressed, unencrypted set (every stored byte read and SHA-256'd against
/// the manifest) against <c>sha256sum</c> over the same stored files, side by side; also Rewind on a gzip set of the
/// same database. Plain bytes per second. See docs/benchmarks.md.
/// </summary>
internal sealed class VerifyBenchmark(bool quick, string repository)
{
    public int Scale => quick ? 5 : 100;

    public int Runs => quick ? 3 : 5;

    public async Task<int> RunAsync()
    {
        var root = Directory.CreateTempSubdirectory("rewind-bench-verify-").FullName;
        var loadBefore = RestoreBenchmark.Load();
        Console.WriteLine(Pg.F($"verify benchmark: pgbench scale {Scale}, {Runs} timed run(s) of each after one warm-up run; load average {loadBefore}"));
        SourceDatabase? source = null;
        try
        {
            await Pg.GiveAsync(root);
            source = await SourceDatabase.CreateAsync(root, Scale, _ => new Dictionary<string, string>(StringComparer.Ordinal));
            var plain = await BackUpAsync(source, Path.Combine(root, "plain"), StoredCompression.None);
            var gzip = await BackUpAsync(source, Path.Combine(root, "gzip"), StoredCompression.Gzip);
            var databaseBytes = await source.SizeAsync();
            await source.Server.StopAsync();
            var files = StoredFiles(plain.Repository, plain.Manifest);
            var fileBytes = files.Sum(file => new FileInfo(file).Length);
            if (fileBytes != plain.Manifest.TotalSize)
            {
                throw new InvalidOperationException($"the plain set's stored files hold {fileBytes} bytes, its manifest {plain.Manifest.TotalSize}");
            }

            Console.Error.WriteLine(Pg.F($"database {databaseBytes / 1e9:0.00} GB; plain set {files.Count} files, {fileBytes / 1e9:0.000} GB; gzip set stored {gzip.Manifest.TotalStoredSize / 1e9:0.000} GB"));
            var variants = new VerifyVariant[]
            {
                new("rewind", "rewind BackupVerifier, plain set, parallelism 2", () => RewindAsync(plain.Repository, 2, plain.Manifest.TotalSize)),
                new("sha256sum", "sha256sum FILE... (one process)", () => Sha256SumAsync([files], fileBytes)),
                new("rewind_1", "rewind BackupVerifier, plain set, parallelism 1", () => RewindAsync(plain.Repository, 1, plain.Manifest.TotalSize)),
                new("sha256sum_2", "sha256sum, 2 processes (files split by size)", () => Sha256SumAsync(Split(files), fileBytes)),
                new("rewind_gzip", "rewind BackupVerifier, gzip set, parallelism 2", () => RewindAsync(gzip.Repository, 2, gzip.Manifest.TotalSize)),
            };
            var samples = await MeasureAsync(variants);
            new VerifyReport(repository, variants, samples, Scale, databaseBytes, fileBytes, files.Count, gzip.Manifest.TotalStoredSize, Runs, loadBefore, RestoreBenchmark.Load()).Write();
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine("verify benchmark FAILED: " + ex.Message);
            return 1;
        }
        finally
        {
            if (source is not null)
            {
                await source.DisposeAsync();
            }

            Pg.Remove(root);
        }
    }

    /// <summary>Each variant once untimed (the page cache warmed the same for all), then the timed runs.</summary>
    private async Task<List<VerifySample>> MeasureAsync(VerifyVariant[] variants)
    {
        foreach (var variant in variants)
        {
            await variant.Measure();
        }

        var samples = new List<VerifySample>();
        for (var run = 1; run <= Runs; run++)
        {
            // Rotate the order so that no variant always follows the same one.
            foreach (var variant in variants.Skip(run % variants.Length).Concat(variants.Take(run % variants.Length)))
            {
                var (seconds, bytes) = await variant.Measure();
                samples.Add(new VerifySample(variant.Name, run, seconds, bytes));
            }

            Console.Error.WriteLine(Pg.F($"run {run}/{Runs}: ") + string.Join(", ", samples.TakeLast(variants.Length).Select(s => Pg.F($"{s.Variant} {s.MegabytesPerSecond:0} MB/s"))));
        }

        return samples;
    }

    private static async Task<(BackupRepository Repository, BackupManifest Manifest)> BackUpAsync(SourceDatabase source, string path, StoredCompression compression)
    {
        var repository = new BackupRepository(new BackupRepositoryOptions(path) { Compression = compression });
        var backup = await new BaseBackup(repository, RestoreScenario.Tools).RunAsync(new BaseBackupRequest(source.Server.Libpq()) { Label = "bench" });
        return backup.Succeeded ? (repository, backup.Manifest!) : throw new InvalidOperationException("base backup failed: " + backup.Message);
    }

    /// <summary>The stored files of the set: with neither compression nor encryption, its data files byte for byte.</summary>
    private static List<string> StoredFiles(BackupRepository repository, BackupManifest manifest) =>
        [.. Directory.EnumerateFiles(Path.Combine(repository.Root, "sets", manifest.SetId, "pg_data"), "*", SearchOption.AllDirectories)];

    private static async Task<(double Seconds, long Bytes)> RewindAsync(BackupRepository repository, int parallelism, long expected)
    {
        var verifier = new BackupVerifier(new BackupRepository(repository.Options with { Parallelism = parallelism }));
        var clock = Stopwatch.StartNew();
        var report = await verifier.VerifyAsync(new VerificationRequest { CheckWalContent = false });
        var seconds = clock.Elapsed.TotalSeconds;

        // Nothing was archived, so the WAL chain check reports a gap; every file must pass.
        var wrong = report.Findings.Where(finding => !finding.Subject.StartsWith("wal/", StringComparison.Ordinal)).ToList();
        return wrong.Count > 0 || report.BytesChecked != expected
            ? throw new InvalidOperationException($"verification: {report.BytesChecked} bytes checked (want {expected}); {string.Join("; ", wrong)}")
            : (seconds, report.BytesChecked);
    }

    private static async Task<(double Seconds, long Bytes)> Sha256SumAsync(IReadOnlyList<IReadOnlyList<string>> lists, long bytes)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(lists.Select(list => Pg.RunAsync(["sha256sum", "--", .. list])));
        return (clock.Elapsed.TotalSeconds, bytes);
    }

    /// <summary>Two lists of about equal bytes: largest file first, each to the lighter list.</summary>
    private static List<IReadOnlyList<string>> Split(List<string> files)
    {
        var lists = new[] { new List<string>(), new List<string>() };
        var sizes = new long[2];
        foreach (var file in files.OrderByDescending(file => new FileInfo(file).Length))
        {
            var lighter = sizes[0] <= sizes[1] ? 0 : 1;
            lists[lighter].Add(file);
            sizes[lighter] += new FileInfo(file).Length;
        }

        return [.. lists];
    }
}

/// <summary>One way of checking the set, measured by <see cref="Measure"/>: seconds and plain bytes checked.</summary>
internal sealed record VerifyVariant(string Name, string Label, Func<Task<(double Seconds, long Bytes)>> Measure);

internal sealed record VerifySample(string Variant, int Run, double Seconds, long Bytes)
{
    public double MegabytesPerSecond => Bytes / 1e6 / Seconds;
}
