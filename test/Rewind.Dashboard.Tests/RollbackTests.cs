using Microsoft.Playwright;
using Rewind.Core.Access;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class RollbackTests(DashboardWorld world, Browser browser)
{
    [Fact]
    public async Task Rollback_RequestedInThePage_WaitsForASecondApproverWithSecondFactor_ThenCompletesLive()
    {
        await world.DeployBrokenAsync(world.Shop, "shop");
        var incident = await world.OpenIncidentAsync("shop");
        await using var alex = await browser.LoginAsync(world.Url, world.Tokens["alex"]);
        await alex.Page.GotoAsync("/ui/");
        await Assertions.Expect(alex.Page.Locator("#live")).ToHaveTextAsync("live");
        await using var olivia = await browser.AnonymousAsync(world.Url);
        var page = olivia.Page;
        await page.GotoAsync("/ui/");
        await page.WaitForURLAsync("**/ui/login");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle); // the login page settled before it is used
        await page.GetByLabel("API token").FillAsync(world.Tokens["olivia"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        // The URL as it is (polled), not a navigation event that may already have passed; with or without the hash.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ui/(?<hash>#.*)?$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)), new() { Timeout = 15_000 });
        await page.GotoAsync($"/ui/#/incidents/{incident.Id}");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(incident.Id);
        await page.EvaluateAsync("() => window.notReloaded = true");
        var id = await RequestAsync(page);

        await alex.Page.GetByTestId("approvals-waiting").GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync(); // pushed to the approver's overview
        var approval = alex.Page.Locator($"[data-rollback='{id}']");
        await Assertions.Expect(approval.GetByTestId("who-may-approve")).ToContainTextAsync("second-factor code");
        await approval.GetByTestId("approval-code").FillAsync(Totp.Code(Totp.FromBase32(world.AlexTotpSecret)!, Totp.StepOf(TimeProvider.System.GetUtcNow())));
        await approval.GetByTestId("approve").ClickAsync();
        await alex.Page.GotoAsync($"/ui/#/incidents/{incident.Id}");
        await Assertions.Expect(approval).ToHaveAttributeAsync("data-status", "running");
        await Assertions.Expect(approval.Locator("[data-step-status=succeeded]").First).ToBeVisibleAsync();
        await alex.ScreenshotAsync("incident-during-rollback");

        var panel = page.Locator("[data-rollback]");
        await Assertions.Expect(panel.Locator("[data-step-status=running]")).ToBeVisibleAsync(); // progress as it happens, on the requester's page
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(panel.GetByTestId("approvals")).ToContainTextAsync("approved by alex (approver)"); // who approved stays once it ran
        var progress = panel.GetByTestId("rollback-progress");
        (await progress.GetAttributeAsync("value")).ShouldBe(await progress.GetAttributeAsync("max"));
        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).ShouldBeTrue("the page was reloaded");
        await olivia.ScreenshotAsync("rollback-succeeded");

        var rollback = await world.Admin.GetRollbackAsync(id);
        rollback.RequestedBy.ShouldBe("olivia");
        rollback.Status.ShouldBe("succeeded", world.ServerOutput);
        (await world.Admin.GetIncidentAsync(incident.Id)).Timeline.ShouldContain(e => e.Kind == "decision" && e.Message.Contains("approved by alex", StringComparison.Ordinal));
        olivia.Errors.ShouldBeEmpty();
        alex.Errors.ShouldBeEmpty();
    }

    /// <summary>From the incident page: the rollback form, its dry run and confirmation; answers the new rollback's ID once it awaits approval.</summary>
    private static async Task<string> RequestAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Roll back shop" }).ClickAsync();

        var target = page.GetByLabel("Target release");
        await Assertions.Expect(target).ToHaveValueAsync("v1"); // the last known good, preselected
        await Assertions.Expect(target.Locator("option[value=v2]")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByTestId("dry-run")).ToContainTextAsync("switch");
        await page.GetByLabel("Reason (recorded)").FillAsync("checkout answers 503 since v2");
        var confirm = page.GetByTestId("confirm-rollback");
        await page.GetByLabel("to confirm").FillAsync("sho");
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await page.GetByLabel("to confirm").FillAsync("shop");
        await Assertions.Expect(confirm).ToBeEnabledAsync();
        await confirm.ClickAsync();

        var panel = page.Locator("[data-rollback]");
        await Assertions.Expect(panel).ToHaveAttributeAsync("data-status", "awaiting");
        await Assertions.Expect(page.GetByTestId("who-may-approve")).ToContainTextAsync("approver");
        await Assertions.Expect(page.GetByTestId("who-may-approve")).ToContainTextAsync("not olivia (two-person rule)");
        await Assertions.Expect(page.GetByTestId("approve")).ToHaveCountAsync(0); // the requester cannot approve their own
        return (await panel.GetAttributeAsync("data-rollback"))!;
    }
}
