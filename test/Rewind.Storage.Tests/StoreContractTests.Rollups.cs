using Rewind.Core.Signals;
using Rewind.Core.Storage;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    /// <summary>An hour start: rollup buckets line up with it.</summary>
    private static readonly DateTimeOffset H0 = new(2026, 3, 14, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RollUpAsync_Minutes_SumPerProbeAndMinuteAsRawSummedDoes()
    {
        var store = await OwnStoreAsync();
        var web = NewComponent("web");
        var samples = await AddSamplesAsync(store, web, "http", H0, 150, TimeSpan.FromSeconds(1));
        await AddSamplesAsync(store, web, "tcp", H0, 10, TimeSpan.FromSeconds(1));

        var written = await store.RollUpAsync(SampleResolution.Minute, H0, H0.AddMinutes(2));

        written.ShouldBe(3); // two minutes of http, one of tcp
        var expected = Expected(samples, SampleResolution.Minute, H0, H0.AddMinutes(2));
        Describe(await store.GetRollupsAsync(web, "http", SampleResolution.Minute, H0, H0.AddHours(1))).ShouldBe(expected);
        Describe(await store.SumSamplesAsync(web, "http", SampleResolution.Minute, H0, H0.AddMinutes(2))).ShouldBe(expected);
        (await store.GetRolledUntilAsync(SampleResolution.Minute)).ShouldBe(H0.AddMinutes(2));
        (await store.GetRolledUntilAsync(SampleResolution.Hour)).ShouldBeNull();
    }

    [Fact]
    public async Task RollUpAsync_SameRangeTwice_WritesTheSameRows()
    {
        var store = await OwnStoreAsync();
        var web = NewComponent("web");
        await AddSamplesAsync(store, web, "http", H0, 90, TimeSpan.FromSeconds(1));
        await store.RollUpAsync(SampleResolution.Minute, H0, H0.AddMinutes(2));
        var first = Describe(await store.GetRollupsAsync(web, "http", SampleResolution.Minute, H0, H0.AddHours(1)));

        await store.RollUpAsync(SampleResolution.Minute, H0, H0.AddMinutes(2));

        Describe(await store.GetRollupsAsync(web, "http", SampleResolution.Minute, H0, H0.AddHours(1))).ShouldBe(first);
    }

    [Fact]
    public async Task RollUpAsync_Hours_SumTheirMinutes()
    {
        var store = await OwnStoreAsync();
        var web = NewComponent("web");
        var samples = await AddSamplesAsync(store, web, "http", H0.AddMinutes(50), 120, TimeSpan.FromSeconds(10)); // 20 minutes over two hours
        await store.RollUpAsync(SampleResolution.Minute, H0, H0.AddHours(2));

        var written = await store.RollUpAsync(SampleResolution.Hour, H0, H0.AddHours(2));

        written.ShouldBe(2);
        Describe(await store.GetRollupsAsync(web, "http", SampleResolution.Hour, H0, H0.AddHours(2)))
            .ShouldBe(Expected(samples, SampleResolution.Hour, H0, H0.AddHours(2)));
        (await store.GetRolledUntilAsync(SampleResolution.Hour)).ShouldBe(H0.AddHours(2));
    }

    [Fact]
    public async Task DeleteAsync_BeforeAndRange_DeleteOnlyTheOldestOfThatLevel()
    {
        var store = await OwnStoreAsync();
        var web = NewComponent("web");
        await AddSamplesAsync(store, web, "http", H0, 180, TimeSpan.FromSeconds(1));
        await store.RollUpAsync(SampleResolution.Minute, H0, H0.AddMinutes(3));
        (await store.GetOldestAsync(SampleResolution.Raw)).ShouldBe(H0);

        (await store.DeleteSamplesBeforeAsync(H0.AddMinutes(1), 50)).ShouldBe(50);
        (await store.DeleteSamplesBeforeAsync(H0.AddMinutes(1), 50)).ShouldBe(10);
        (await store.DeleteRollupsAsync(SampleResolution.Minute, H0, H0.AddMinutes(2))).ShouldBe(2);

        (await store.GetOldestAsync(SampleResolution.Raw)).ShouldBe(H0.AddMinutes(1));
        (await store.GetOldestAsync(SampleResolution.Minute)).ShouldBe(H0.AddMinutes(2));
        (await store.GetOldestAsync(SampleResolution.Hour)).ShouldBeNull();
        (await store.GetSamplesAsync(web, "http", H0, H0.AddHours(1), 1000)).Count.ShouldBe(120);
    }

    [Fact]
    public async Task GetSamplesAsync_RangeAndLimit_ReturnsTheNewestInsideOldestFirst()
    {
        var web = NewComponent("web");
        var samples = await AddSamplesAsync(Store, web, "http", H0, 10, TimeSpan.FromSeconds(1));

        var inside = await Store.GetSamplesAsync(web, "http", H0.AddSeconds(2), H0.AddSeconds(8), 3);

        inside.ShouldBe([samples[5], samples[6], samples[7]]);
    }

    /// <summary>Rollup progress is store-wide, so these tests run on a database of their own.</summary>
    private async Task<IStore> OwnStoreAsync()
    {
        var store = Fixture.Open(await Fixture.CreateEmptyLocationAsync());
        await store.MigrateAsync();
        return store;
    }

    /// <summary>Samples with latencies spread over the histogram (sums exact in binary) and every seventh failed.</summary>
    private static async Task<List<ProbeSample>> AddSamplesAsync(IStore store, string component, string probe, DateTimeOffset start, int count, TimeSpan every)
    {
        var samples = Enumerable.Range(0, count)
            .Select(i => new ProbeSample(component, probe, start + (every * i), i % 7 != 3, ((i * 37) % 900) + 0.5, i % 7 == 3 ? "HTTP 503" : null))
            .ToList();
        foreach (var sample in samples)
        {
            await store.AddSampleAsync(sample);
        }

        return samples;
    }

    private static List<string> Expected(IEnumerable<ProbeSample> samples, SampleResolution resolution, DateTimeOffset from, DateTimeOffset until) =>
        Describe([.. samples.Where(s => s.At >= from && s.At < until)
            .GroupBy(s => resolution.Floor(s.At))
            .OrderBy(g => g.Key)
            .Select(g => SampleBucket.Of(g.First().Probe, g.Key, resolution, [.. g])!)]);

    private static List<string> Describe(IEnumerable<SampleBucket> buckets) =>
        [.. buckets.Select(b => FormattableString.Invariant($"{b.Probe} {b.At:O} {b.Resolution} n={b.Count} f={b.Failures} sum={b.LatencySumMs} min={b.LatencyMinMs} max={b.LatencyMaxMs} le={string.Join(',', b.Under)}"))];
}
