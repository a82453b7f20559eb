using Microsoft.Playwright;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class PhoneTests(DashboardWorld world, Browser browser)
{
    private const int PhoneWidth = 375;

    [Fact]
    public async Task Pages_AtPhoneWidth_FitWithoutSidewaysScrollingAndKeepTheirControls()
    {
        var incident = await world.OpenIncidentAsync("worker");
        await using var login = await browser.AnonymousAsync(world.Url, PhoneWidth);
        await login.Page.GotoAsync("/ui/login");
        await Assertions.Expect(login.Page.GetByLabel("API token")).ToBeVisibleAsync();
        (await login.FitsWidthAsync()).ShouldBeTrue("login page");

        await using var olivia = await browser.LoginAsync(world.Url, world.Tokens["olivia"], PhoneWidth, 812);
        var page = olivia.Page;
        await page.GotoAsync("/ui/");
        await Assertions.Expect(page.Locator("[data-component=worker] [data-testid=open-incident]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("rollback-button").First).ToBeInViewportAsync(new() { Ratio = 1 });
        (await olivia.FitsWidthAsync()).ShouldBeTrue("overview");
        await olivia.ScreenshotAsync("phone-overview");

        await page.GotoAsync($"/ui/#/incidents/{incident.Id}");
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync("opened");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToBeVisibleAsync();
        (await olivia.FitsWidthAsync()).ShouldBeTrue("incident page");
        await olivia.ScreenshotAsync("phone-incident");

        await page.GotoAsync("/ui/#/rollback?component=web");
        await Assertions.Expect(page.Locator(".plan")).Not.ToContainTextAsync("Planning");
        await Assertions.Expect(page.GetByLabel("to confirm")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("confirm-rollback")).ToBeVisibleAsync();
        (await olivia.FitsWidthAsync()).ShouldBeTrue("rollback page");
        await olivia.ScreenshotAsync("phone-rollback");
        olivia.Errors.ShouldBeEmpty();
    }
}
