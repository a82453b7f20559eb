using System.Text.Json;
using Microsoft.Playwright;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class AccessTests(DashboardWorld world, Browser browser)
{
    private static readonly object RollbackBody = new { component = "web", reason = "forged", toVersion = "v1" };

    [Fact]
    public async Task Viewer_SeesNoRollbackControls()
    {
        await using var vera = await browser.LoginAsync(world.Url, world.Tokens["vera"]);
        await vera.Page.GotoAsync("/ui/");
        await Assertions.Expect(vera.Page.Locator("[data-component=web]")).ToBeVisibleAsync();
        await Assertions.Expect(vera.Page.Locator("#user")).ToHaveTextAsync("vera (viewer)");

        await Assertions.Expect(vera.Page.GetByTestId("rollback-button")).ToHaveCountAsync(0);
        await Assertions.Expect(vera.Page.Locator("a[data-nav=rollback]")).ToBeHiddenAsync();
        await vera.Page.GotoAsync("/ui/#/rollback");
        await Assertions.Expect(vera.Page.Locator("main")).ToContainTextAsync("needs the operator role");
        await Assertions.Expect(vera.Page.GetByTestId("confirm-rollback")).ToHaveCountAsync(0);
        vera.Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task ForgedRequests_CookieWithoutCsrfHeaderOrViewerRole_AreRefusedAndChangeNothing()
    {
        await using var vera = await browser.LoginAsync(world.Url, world.Tokens["vera"]);
        await using var olivia = await browser.LoginAsync(world.Url, world.Tokens["olivia"]);
        var before = (await world.Admin.GetRollbacksAsync()).Count;

        var noHeader = await olivia.Context.APIRequest.PostAsync("/api/v1/rollbacks", new() { DataObject = RollbackBody });
        var wrongHeader = await olivia.Context.APIRequest.PostAsync("/api/v1/rollbacks", new() { DataObject = RollbackBody, Headers = new Dictionary<string, string> { ["X-Rewind-CSRF"] = "guessed" } });
        var viewer = await vera.Context.APIRequest.PostAsync("/api/v1/rollbacks", new() { DataObject = RollbackBody, Headers = new Dictionary<string, string> { ["X-Rewind-CSRF"] = await CsrfAsync(vera) } });
        var logout = await olivia.Context.APIRequest.PostAsync("/ui/logout");

        (noHeader.Status, await TitleAsync(noHeader)).ShouldBe((403, "CSRF check failed"));
        (wrongHeader.Status, await TitleAsync(wrongHeader)).ShouldBe((403, "CSRF check failed"));
        (viewer.Status, await TitleAsync(viewer)).ShouldBe((403, "not allowed"));
        logout.Status.ShouldBe(403); // even logging out needs the header, so no other site can end a session
        (await world.Admin.GetRollbacksAsync()).Count.ShouldBe(before);
        (await world.Admin.GetAuditAsync(limit: 500)).ShouldContain(e => e.Actor == "olivia" && e.Result == "403" && e.Detail.Contains("CSRF", StringComparison.Ordinal));
    }

    private static async Task<string> CsrfAsync(Session session) =>
        (await session.Context.CookiesAsync()).Single(c => c.Name == "rewind-csrf").Value;

    private static async Task<string?> TitleAsync(IAPIResponse response) =>
        JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("title").GetString();
}
