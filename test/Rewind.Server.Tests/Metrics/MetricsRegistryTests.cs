using Rewind.Core.Signals.Metrics;
using Rewind.Engine.Metrics;

namespace Rewind.Server.Tests.Metrics;

public sealed class MetricsRegistryTests
{
    [Fact]
    public async Task Write_LabelValuesWithQuotesBackslashesAndNewlines_ParseBackUnchanged()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("rewind_test_total", "A test counter.\nSecond line with a \\.", "component", "probe");
        counter.Inc("we\"b", "a\\b\nc");
        counter.Add(2.5, "we\"b", "a\\b\nc");

        var text = await registry.WriteAsync();
        var parsed = PrometheusText.Parse(text);

        text.ShouldContain("# HELP rewind_test_total A test counter.\\nSecond line with a \\\\.\n");
        text.ShouldContain("# TYPE rewind_test_total counter\n");
        parsed.Errors.ShouldBeEmpty();
        var sample = parsed.Samples.ShouldHaveSingleItem();
        sample.Labels["component"].ShouldBe("we\"b");
        sample.Labels["probe"].ShouldBe("a\\b\nc");
        sample.Value.ShouldBe(3.5);
    }

    [Fact]
    public async Task Write_Histogram_HasCumulativeBucketsSumAndCount()
    {
        var registry = new MetricsRegistry();
        var histogram = registry.Histogram("rewind_test_seconds", "A test histogram.", [1, 0.1], "kind");
        histogram.Observe(0.05, "switch");
        histogram.Observe(0.5, "switch");
        histogram.Observe(7, "switch");

        var parsed = PrometheusText.Parse(await registry.WriteAsync());

        parsed.Errors.ShouldBeEmpty();
        parsed.Types["rewind_test_seconds"].ShouldBe("histogram");
        var buckets = parsed.Samples.Where(s => s.Name == "rewind_test_seconds_bucket").ToDictionary(s => s.Labels["le"], s => s.Value);
        buckets.ShouldBe(new Dictionary<string, double> { ["0.1"] = 1, ["1"] = 2, ["+Inf"] = 3 }, ignoreOrder: true);
        parsed.Samples.Single(s => s.Name == "rewind_test_seconds_sum").Value.ShouldBe(7.55, 1e-9);
        parsed.Samples.Single(s => s.Name == "rewind_test_seconds_count").Value.ShouldBe(3);
        parsed.Samples.ShouldAllBe(s => s.Labels["kind"] == "switch");
    }

    [Fact]
    public async Task Replace_Gauge_DropsSeriesNoLongerReported()
    {
        var registry = new MetricsRegistry();
        var gauge = registry.Gauge("rewind_test_up", "A test gauge.", "probe");
        gauge.Replace([(1d, ["a"]), (0d, ["b"])]);
        gauge.Replace([(0d, ["b"])]);

        var parsed = PrometheusText.Parse(await registry.WriteAsync());

        parsed.Samples.ShouldHaveSingleItem().Labels["probe"].ShouldBe("b");
    }

    [Fact]
    public async Task Replace_UnlabelledGaugeWithNothing_IsAbsentUntilSetAgain()
    {
        var registry = new MetricsRegistry();
        var gauge = registry.Gauge("rewind_test_seconds", "A test gauge.");
        gauge.Set(0.25);
        gauge.Replace([]);

        PrometheusText.Parse(await registry.WriteAsync()).Samples.ShouldBeEmpty();
        gauge.Set(0.5);
        PrometheusText.Parse(await registry.WriteAsync()).Samples.ShouldHaveSingleItem().Value.ShouldBe(0.5);
    }

    [Fact]
    public async Task Touch_Counter_IsWrittenAtZeroBeforeTheFirstEvent()
    {
        var registry = new MetricsRegistry();
        registry.Counter("rewind_test_total", "A test counter.", "reason").Touch("forbidden");
        registry.Counter("rewind_other_total", "Not touched.", "reason");

        var sample = PrometheusText.Parse(await registry.WriteAsync()).Samples.ShouldHaveSingleItem();

        sample.Name.ShouldBe("rewind_test_total");
        sample.Value.ShouldBe(0);
    }

    [Fact]
    public async Task ControllerMetrics_TwoInOneProcess_DoNotShareSeries()
    {
        var first = new ControllerMetrics();
        var second = new ControllerMetrics();
        first.Rollbacks.Inc("web", "succeeded");

        (await first.Registry.WriteAsync()).ShouldContain("rewind_rollbacks_total{component=\"web\",status=\"succeeded\"} 1");
        (await second.Registry.WriteAsync()).ShouldNotContain("rewind_rollbacks_total{");
    }

    [Fact]
    public void Register_SameNameTwice_Throws()
    {
        var registry = new MetricsRegistry();
        registry.Counter("rewind_test_total", "x");

        Should.Throw<InvalidOperationException>(() => registry.Gauge("rewind_test_total", "y"));
    }
}
