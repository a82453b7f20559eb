using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class OverviewTests(DashboardWorld world, Browser browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Overview_BrokenReleaseDeployed_IncidentShownLiveWithoutReload()
    {
        await using var olivia = await browser.LoginAsync(world.Url, world.Tokens["olivia"]);
        var page = olivia.Page;
        await page.GotoAsync("/ui/");
        var firstPaint = await page.EvaluateAsync<double>("() => new Promise(done => new PerformanceObserver(list => done(list.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true }))");
        output.WriteLine($"first paint {firstPaint:F0} ms"); // how fast is measured by ./bench/run dashboard, not asserted here
        firstPaint.ShouldBeGreaterThan(0);
        var web = page.Locator("[data-component=web]");
        await Assertions.Expect(web).ToHaveAttributeAsync("data-health", "healthy");
        await Assertions.Expect(web.GetByTestId("open-incident")).ToHaveCountAsync(0); // a blip on a busy machine has recovered
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await page.EvaluateAsync("() => window.notReloaded = true");

        var fault = Stopwatch.StartNew(); // from the moment the healthy release stops serving
        await world.DeployBrokenAsync(world.Web, "web");
        await Assertions.Expect(web.GetByTestId("open-incident")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        output.WriteLine($"incident on screen {fault.Elapsed.TotalMilliseconds:F0} ms after the fault");
        var incident = await world.OpenIncidentAsync("web");
        await Assertions.Expect(web.GetByTestId("open-incident")).ToContainTextAsync(incident.Id);
        await Assertions.Expect(web).ToHaveAttributeAsync("data-health", "failing");
        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).ShouldBeTrue("the page was reloaded");
        await Assertions.Expect(web.Locator("figure.spark svg polyline").First).ToBeAttachedAsync();
        await olivia.ScreenshotAsync("overview");
        olivia.Errors.ShouldBeEmpty();
    }
}
