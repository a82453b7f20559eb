using Microsoft.Playwright;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class ChartRangeTests(DashboardWorld world, Browser browser)
{
    [Fact]
    public async Task RangeChoice_LastDayThenRecent_DrawsMinuteRollupsThenRawSamples()
    {
        await using var vera = await browser.LoginAsync(world.Url, world.Tokens["vera"]);
        var page = vera.Page;
        await page.GotoAsync("/ui/");
        var charts = page.Locator("[data-component=web] .charts");
        await Assertions.Expect(page.Locator("[data-component=web] figure.spark svg polyline")).ToHaveCountAsync(3);
        await Assertions.Expect(charts).ToHaveAttributeAsync("data-resolutions", "raw");

        await page.GetByTestId("chart-range").SelectOptionAsync("24h");

        await Assertions.Expect(charts).ToHaveAttributeAsync("data-range", "24h");
        await Assertions.Expect(charts).ToHaveAttributeAsync("data-resolutions", "1m");
        var day = await world.As("vera").GetSignalHistoryAsync("web", "24h");
        day.Probes.ShouldAllBe(p => p.Samples.All(s => s.Resolution == "1m"));
        day.Probes.Sum(p => p.Samples.Sum(s => s.Count)).ShouldBeGreaterThan(0);

        await page.GetByTestId("chart-range").SelectOptionAsync("");

        await Assertions.Expect(charts).ToHaveAttributeAsync("data-range", "recent");
        await Assertions.Expect(charts).ToHaveAttributeAsync("data-resolutions", "raw");
        vera.Errors.ShouldBeEmpty();
    }
}
