using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Signals;
using Rewind.Storage;
using Rewind.TestUtils;

namespace Rewind.Engine.Tests.Signals;

/// <summary>
/// Downsampling keeps the charts and the reports right: three hours of samples with known failures and latencies,
/// rolled and pruned by <see cref="SampleRollup"/>, read back by <see cref="SampleHistory"/>, give the same points and
/// the same report figures as the raw samples gave before they were pruned. Run on SQLite and on PostgreSQL.
/// </summary>
public abstract class DownsamplingTests : IAsyncLifetime
{
    /// <summary>An hour start; samples run from here for three hours.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Where the pass runs: a minute past the last sample.</summary>
    private static readonly DateTimeOffset Now = T0.AddHours(3).AddMinutes(1);

    /// <summary>Ten minutes of raw samples, two hours of minutes: at <see cref="Now"/> the history is hours, then minutes, then raw.</summary>
    private static readonly SamplesConfig Windows = new() { FullResolution = TimeSpan.FromMinutes(10), PerMinute = TimeSpan.FromHours(2) };

    private static readonly Incident Outage = new("INC-2026-11-22-0001", "web", Severity.P1, IncidentStatus.Resolved, "web down", "web.down", T0.AddHours(2).AddMinutes(5).AddSeconds(20), T0.AddHours(2).AddMinutes(15).AddSeconds(40));

    private static readonly string[] Probes = ["http", "tcp"];

    private readonly FakeTimeProvider _time = new(Now);
    private readonly List<ProbeSample> _samples = [];
    private IStore _store = null!;

    private SampleRollup Rollup => new(_store, _time);

    private SampleHistory History => new(_store, _time);

    public async Task InitializeAsync()
    {
        _store = StoreFactory.Open(await CreateLocationAsync(), _time);
        await _store.MigrateAsync();
        _samples.AddRange(Samples("http", TimeSpan.FromSeconds(10)));
        _samples.AddRange(Samples("tcp", TimeSpan.FromSeconds(30)));
        await Task.WhenAll(_samples.Chunk(_samples.Count / 4).Select(async part =>
        {
            foreach (var sample in part)
            {
                await _store.AddSampleAsync(sample);
            }
        }));
    }

    public async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await RemoveLocationAsync();
    }

    [Fact]
    public async Task RollupAndPrune_ChartsAndReport_EqualWhatTheRawSamplesGave()
    {
        var reportBefore = await History.AroundAsync(Outage, Probes, Windows);

        await RollUntilDoneAsync();

        (await _store.GetOldestAsync(SampleResolution.Raw)).ShouldBe(T0.AddHours(2).AddMinutes(51), "raw samples older than full-resolution are deleted");
        (await _store.GetOldestAsync(SampleResolution.Minute)).ShouldBe(T0.AddHours(1), "minutes older than per-minute (whole hours) are deleted");
        foreach (var probe in Probes)
        {
            var points = await History.PointsAsync(new ProbeRange("web", probe, T0, Now), Windows, SampleResolution.Raw, 10_000);
            Describe(points).ShouldBe(ExpectedPoints(probe), $"chart of {probe}");
        }

        var reportAfter = await History.AroundAsync(Outage, Probes, Windows);
        Describe(reportAfter).ShouldBe(ExpectedReport());
        Describe(reportBefore).ShouldBe(ExpectedReport());
        var during = reportAfter.Single(s => s is { Probe: "http", Period: "during" }).Summary!;
        during.Availability!.Value.ShouldBeLessThan(0.1, "the outage fails every sample (the period is whole minutes)");
        during.LatencyPercentile(0.5)!.Value.ShouldBeGreaterThanOrEqualTo(1000);
        reportAfter.Single(s => s is { Probe: "http", Period: "before" }).Summary!.Availability!.Value.ShouldBeGreaterThan(0.9);
        IncidentReport.ToMarkdown(Record(reportAfter)).ShouldBe(IncidentReport.ToMarkdown(Record(reportBefore)));
    }

    [Fact]
    public async Task RunAsync_AgainWhenDone_DoesNothingAndKeepsTheRows()
    {
        await RollUntilDoneAsync();
        var minutes = Describe(await _store.GetRollupsAsync("web", "http", SampleResolution.Minute, T0, Now));
        var hours = Describe(await _store.GetRollupsAsync("web", "http", SampleResolution.Hour, T0, Now));

        var again = await Rollup.RunAsync(Windows);

        again.DidWork.ShouldBeFalse();
        Describe(await _store.GetRollupsAsync("web", "http", SampleResolution.Minute, T0, Now)).ShouldBe(minutes);
        Describe(await _store.GetRollupsAsync("web", "http", SampleResolution.Hour, T0, Now)).ShouldBe(hours);
    }

    [Fact]
    public async Task LateSample_AfterItsMinuteWasRolled_StaysRawAndOutOfTheRollup()
    {
        await RollUntilDoneAsync();
        var minute = T0.AddHours(2).AddMinutes(55);
        var rolled = Describe(await _store.GetRollupsAsync("web", "http", SampleResolution.Minute, minute, minute.AddMinutes(1)));

        await _store.AddSampleAsync(new ProbeSample("web", "http", minute.AddSeconds(5), false, 4000));
        _time.Advance(SampleRollup.Settle);
        await RollUntilDoneAsync();

        Describe(await _store.GetRollupsAsync("web", "http", SampleResolution.Minute, minute, minute.AddMinutes(1))).ShouldBe(rolled);
        (await _store.GetSamplesAsync("web", "http", minute, minute.AddMinutes(1), 100)).ShouldContain(s => s.LatencyMs == 4000);
    }

    protected abstract Task<string> CreateLocationAsync();

    protected abstract Task RemoveLocationAsync();

    private async Task RollUntilDoneAsync()
    {
        for (var pass = 0; pass < 20; pass++)
        {
            if (!(await Rollup.RunAsync(Windows)).DidWork)
            {
                return;
            }
        }

        throw new InvalidOperationException("the rollup still had work after 20 passes");
    }

    /// <summary>
    /// Three hours of one probe: latencies in quarter milliseconds (their sums are exact), every eleventh sample failed,
    /// and during the outage every sample failed and slow.
    /// </summary>
    private static IEnumerable<ProbeSample> Samples(string probe, TimeSpan every)
    {
        var count = (int)(TimeSpan.FromHours(3) / every);
        for (var i = 0; i < count; i++)
        {
            var at = T0 + (every * i);
            var outage = at >= Outage.OpenedAt && at < Outage.ResolvedAt;
            var latency = (((i * 53) % 700) / 4.0) + (outage ? 1500 : 0);
            yield return new ProbeSample("web", probe, at, !outage && i % 11 != 0, latency, outage ? "timeout" : null);
        }
    }

    /// <summary>Hours before the minutes kept (whole hours), minutes before the raw samples kept, raw samples after.</summary>
    private List<string> ExpectedPoints(string probe)
    {
        var minutesFrom = T0.AddHours(1);
        var rawFrom = T0.AddHours(2).AddMinutes(51);
        var mine = _samples.Where(s => s.Probe == probe && s.At < Now).ToList();
        var hours = Grouped(mine.Where(s => s.At < minutesFrom), SampleResolution.Hour);
        var minutes = Grouped(mine.Where(s => s.At >= minutesFrom && s.At < rawFrom), SampleResolution.Minute);
        var raw = mine.Where(s => s.At >= rawFrom).Select(s => SampleBucket.Of(probe, s.At, SampleResolution.Raw, [s])!);
        return Describe([.. hours, .. minutes, .. raw]);
    }

    private List<string> ExpectedReport() =>
        Describe([.. Probes.SelectMany(probe => SignalPeriod.Of(Outage, Now, SampleResolution.Minute).Select(p =>
            new SignalPeriod(probe, p.Period, p.From, p.To, SampleResolution.Minute,
                SampleBucket.Of(probe, p.From, SampleResolution.Minute, [.. _samples.Where(s => s.Probe == probe && s.At >= p.From && s.At < p.To)]))))]);

    private static IEnumerable<SampleBucket> Grouped(IEnumerable<ProbeSample> samples, SampleResolution resolution) =>
        samples.GroupBy(s => resolution.Floor(s.At)).OrderBy(g => g.Key).Select(g => SampleBucket.Of(g.First().Probe, g.Key, resolution, [.. g])!);

    private static IncidentRecord Record(IReadOnlyList<SignalPeriod> signals) => new(Outage, [], [], null) { Signals = signals };

    private static List<string> Describe(IEnumerable<SampleBucket> buckets) => [.. buckets.Select(Describe)];

    private static List<string> Describe(IEnumerable<SignalPeriod> periods) =>
        [.. periods.Select(p => FormattableString.Invariant($"{p.Probe} {p.Period} {p.From:O}..{p.To:O} {p.Resolution} p50={p.Summary?.LatencyPercentile(0.5)} avail={p.Summary?.Availability} {(p.Summary is null ? "none" : Describe(p.Summary))}"))];

    private static string Describe(SampleBucket b) =>
        FormattableString.Invariant($"{b.Probe} {b.At:O} {b.Resolution} n={b.Count} f={b.Failures} sum={b.LatencySumMs} min={b.LatencyMinMs} max={b.LatencyMaxMs} le={string.Join(',', b.Under)}");
}

public sealed class SqliteDownsamplingTests : DownsamplingTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"rewind-downsampling-{Guid.NewGuid():N}");

    protected override Task<string> CreateLocationAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.FromResult($"sqlite:{Path.Combine(_directory, "rewind.db")}");
    }

    protected override Task RemoveLocationAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class PostgresDownsamplingTests : DownsamplingTests
{
    private PostgresDatabase? _database;

    protected override async Task<string> CreateLocationAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        return _database.Url;
    }

    protected override async Task RemoveLocationAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
