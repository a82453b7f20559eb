using Microsoft.Playwright;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class NavigationTests(DashboardWorld world, Browser browser)
{
    [Fact]
    public async Task Navigation_OnEachPage_MarksThatPageOnly()
    {
        var incident = await world.OpenIncidentAsync("worker");
        await using var vera = await browser.LoginAsync(world.Url, world.Tokens["vera"]);
        var page = vera.Page;
        var marked = page.Locator("header nav a[aria-current]");

        await page.GotoAsync("/ui/");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await Assertions.Expect(marked).ToHaveCountAsync(1);
        await Assertions.Expect(marked).ToHaveAttributeAsync("data-nav", "overview");
        await Assertions.Expect(marked).ToHaveAttributeAsync("aria-current", "page"); // "page": an empty aria-current means "not current"

        await page.GotoAsync($"/ui/#/incidents/{incident.Id}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(incident.Id);
        await Assertions.Expect(marked).ToHaveCountAsync(0); // an incident is not the overview

        await page.GotoAsync("/ui/#/releases/web");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Releases");
        await Assertions.Expect(marked).ToHaveCountAsync(1);
        await Assertions.Expect(marked).ToHaveAttributeAsync("data-nav", "releases");
        vera.Errors.ShouldBeEmpty();
    }
}
