using System.Text.Json;
using Microsoft.Playwright;
using Rewind.Client;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class ApprovalStepTests(DashboardWorld world, Browser browser)
{
    [Fact]
    public async Task ApprovalStep_WaitingThenApprovedWithANote_BoxShowsOnlyItsFieldsAndTheDecisionStaysAfterTheRun()
    {
        var rollback = await world.RollBackGateAsync("the queue consumer crashes on v-next");
        await using var olivia = await browser.LoginAsync(world.Url, world.Tokens["olivia"]);
        await using var alex = await browser.LoginAsync(world.Url, world.Tokens["alex"]);
        await olivia.Page.GotoAsync($"/ui/#/rollbacks/{rollback.Id}");
        await alex.Page.GotoAsync($"/ui/#/rollbacks/{rollback.Id}");

        var box = alex.Page.GetByRole(AriaRole.Region, new() { Name = "approval" });
        await Assertions.Expect(box.GetByTestId("approve")).ToBeVisibleAsync();
        (await box.InnerTextAsync()).Split('\n').Select(l => l.Trim()).ShouldNotContain("null"); // nothing in place of the code field this step does not ask for
        await Assertions.Expect(box.GetByTestId("approval-code")).ToHaveCountAsync(0);
        await box.GetByLabel("Note (optional)").FillAsync("queue drained at 05:10");
        await box.GetByTestId("approve").ClickAsync();

        foreach (var page in new[] { alex.Page, olivia.Page })
        {
            var panel = page.Locator($"[data-rollback='{rollback.Id}']");
            await Assertions.Expect(panel).ToHaveAttributeAsync("data-status", "succeeded");
            var decided = panel.GetByTestId("approvals").Locator("li[data-approver=alex]");
            await Assertions.Expect(decided).ToContainTextAsync("approved by alex (approver) at step 1");
            await Assertions.Expect(decided).ToContainTextAsync("queue drained at 05:10");
        }

        var answer = await olivia.Context.APIRequest.GetAsync($"/api/v1/rollbacks/{rollback.Id}/approvals");
        var approvals = JsonSerializer.Deserialize<ApprovalStatusDto>(await answer.TextAsync(), RewindJson.Options)!;
        approvals.Approvals.ShouldHaveSingleItem().Step.ShouldBe(0); // the API says at which step, so the CLI and scripts can tell too
        await olivia.ScreenshotAsync("approval-step-decided");
        olivia.Errors.ShouldBeEmpty();
        alex.Errors.ShouldBeEmpty();
    }
}
