using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class RelativeTimeTests(DashboardWorld world, Browser browser)
{
    private static readonly Regex Seconds = new(@"^\d+ s ago$", RegexOptions.None, TimeSpan.FromSeconds(1));
    private static readonly Regex Minutes = new(@"^\d+ min ago$", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task RelativeTimes_AsThePageClockRuns_KeepUpdatingWithoutARedraw()
    {
        await using var vera = await browser.LoginAsync(world.Url, world.Tokens["vera"]);
        var page = vera.Page;
        await page.Clock.InstallAsync(); // the page's own clock, moved on below: no waiting minutes, no sleeps
        await page.RouteAsync("**/api/v1/events", route => route.AbortAsync()); // no live notices, so nothing redraws the card
        await page.GotoAsync("/ui/");
        var since = page.Locator("[data-component=gate] time[data-ago]");
        await Assertions.Expect(since).ToHaveTextAsync(Seconds);
        await since.EvaluateAsync("el => el.id = 'watched'"); // and the very element drawn must change: only the page's timer can do that

        await page.Clock.FastForwardAsync("05:00");

        await Assertions.Expect(page.Locator("#watched")).ToHaveTextAsync(Minutes);
        vera.Errors.ShouldBeEmpty();
    }
}
