using Rewind.Core.Signals;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task GetRecentSamplesAsync_Limit_ReturnsNewestFirstForThatProbeOnly()
    {
        var component = NewComponent();
        var samples = Enumerable.Range(0, 5)
            .Select(i => new ProbeSample(component, "http", T0.AddSeconds(i), i % 2 == 0, 12.5 + i, i % 2 == 0 ? null : "HTTP 503"))
            .ToList();
        foreach (var sample in samples)
        {
            await Store.AddSampleAsync(sample);
        }

        await Store.AddSampleAsync(new ProbeSample(component, "tcp", T0.AddSeconds(10), true, 1));

        var recent = await Store.GetRecentSamplesAsync(component, "http", 3);

        recent.ShouldBe([samples[4], samples[3], samples[2]]);
    }

    [Fact]
    public async Task AddReleaseTrafficAsync_Repeatedly_AddsUpPerRelease()
    {
        var component = NewComponent();
        (await Store.GetReleaseTrafficAsync(component, "v1")).ShouldBeNull();

        await Store.AddReleaseTrafficAsync(component, "v1", 100, 2, T0);
        await Store.AddReleaseTrafficAsync(component, "v1", 50.5, 0.5, T0.AddSeconds(1));
        await Store.AddReleaseTrafficAsync(component, "v2", 10, 5, T0.AddSeconds(2));

        (await Store.GetReleaseTrafficAsync(component, "v1")).ShouldBe(new ReleaseTraffic(150.5, 2.5));
        (await Store.GetReleaseTrafficAsync(component, "v2")).ShouldBe(new ReleaseTraffic(10, 5));
    }

    [Fact]
    public async Task AddReleaseTrafficAsync_Concurrently_LosesNoIncrement()
    {
        var component = NewComponent();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Store.AddReleaseTrafficAsync(component, "v1", 10, 1, T0)));

        (await Store.GetReleaseTrafficAsync(component, "v1")).ShouldBe(new ReleaseTraffic(200, 20));
    }

    [Fact]
    public async Task AddReleaseLatencyAsync_Repeatedly_AddsUpPerBucketAndReadsBackAscending()
    {
        var component = NewComponent();
        (await Store.GetReleaseLatencyAsync(component, "v1")).ShouldBeEmpty();

        await Store.AddReleaseLatencyAsync(component, "v1", [(0.005, 3), (0.1, 9), (2.5, 10), (double.PositiveInfinity, 10)]);
        await Store.AddReleaseLatencyAsync(component, "v1", [(0.005, 1.5), (0.1, 2), (2.5, 2), (double.PositiveInfinity, 4)]);
        await Store.AddReleaseLatencyAsync(component, "v2", [(0.1, 1), (double.PositiveInfinity, 1)]);
        await Store.AddReleaseLatencyAsync(component, "v3", []);

        (await Store.GetReleaseLatencyAsync(component, "v1")).ShouldBe([(0.005, 4.5), (0.1, 11), (2.5, 12), (double.PositiveInfinity, 14)]);
        (await Store.GetReleaseLatencyAsync(component, "v2")).ShouldBe([(0.1, 1), (double.PositiveInfinity, 1)]);
        (await Store.GetReleaseLatencyAsync(component, "v3")).ShouldBeEmpty();
    }
}
