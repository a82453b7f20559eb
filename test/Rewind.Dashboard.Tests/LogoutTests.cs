using Microsoft.Playwright;

namespace Rewind.Dashboard.Tests;

/// <summary>Logging out takes the session's own page: another site cannot end it, the dashboard's button does.</summary>
[Collection(DashboardRuns.Name)]
public sealed class LogoutTests(DashboardWorld world, Browser browser)
{
    [Fact]
    public async Task CrossSiteFormPost_ToLogout_Is403WithoutSetCookie_AndTheSessionStillWorks()
    {
        await using var vera = await browser.LoginAsync(world.Url, world.Tokens["vera"]);
        await vera.Page.GotoAsync("/ui/");
        await Assertions.Expect(vera.Page.Locator("#user")).ToHaveTextAsync("vera (viewer)");
        await using var hostile = new HostilePage($"""
            <!doctype html>
            <form method="post" action="{world.Url}/ui/logout"><input type="hidden" name="x" value="1"></form>
            <script>document.forms[0].submit();</script>
            """);

        var logout = await vera.Page.RunAndWaitForResponseAsync(
            () => vera.Page.GotoAsync(hostile.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Commit }),
            response => response.Url == $"{world.Url}/ui/logout");

        logout.Status.ShouldBe(403);
        (await logout.HeaderValuesAsync("set-cookie")).ShouldBeEmpty();
        await vera.Page.WaitForURLAsync($"{world.Url}/ui/logout"); // the refusal is shown, and nothing else is loading
        (await vera.Context.CookiesAsync()).Select(c => c.Name).Order(StringComparer.Ordinal).ShouldBe(["rewind-csrf", "rewind-session"]);
        await vera.Page.GotoAsync("/ui/");
        await Assertions.Expect(vera.Page.Locator("#user")).ToHaveTextAsync("vera (viewer)");
        (await vera.Context.APIRequest.GetAsync("/api/v1/whoami")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task LogoutButton_EndsTheSession()
    {
        await using var vera = await browser.LoginAsync(world.Url, world.Tokens["vera"]);
        await vera.Page.GotoAsync("/ui/");
        await Assertions.Expect(vera.Page.Locator("#user")).ToHaveTextAsync("vera (viewer)");

        var logout = await vera.Page.RunAndWaitForResponseAsync(() => vera.Page.Locator("#logout").ClickAsync(), $"{world.Url}/ui/logout");

        logout.Status.ShouldBe(204);
        await vera.Page.WaitForURLAsync($"{world.Url}/ui/login");
        (await vera.Context.CookiesAsync()).ShouldBeEmpty();
        (await vera.Context.APIRequest.GetAsync("/api/v1/whoami")).Status.ShouldBe(401);
        await vera.Page.GotoAsync("/ui/");
        await vera.Page.WaitForURLAsync($"{world.Url}/ui/login"); // the dashboard sends a browser without a session to the login
        vera.Errors.ShouldBeEmpty();
    }
}
