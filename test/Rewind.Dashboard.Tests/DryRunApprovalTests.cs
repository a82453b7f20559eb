using Microsoft.Playwright;
using Rewind.Client;

namespace Rewind.Dashboard.Tests;

/// <summary>The rollback page's dry run says, before anything is requested, which approval the rollback will wait for.</summary>
[Collection(DashboardRuns.Name)]
public sealed class DryRunApprovalTests(DashboardWorld world, Browser browser)
{
    [Fact]
    public async Task DryRun_UnderTheManualApprovalRule_NamesTheRuleWhoAndHowLong()
    {
        // worker's probe never passes, so its v1 is made known good by a person; v2 deployed over it
        await world.Admin.PromoteAsync("worker", "v1", new PromoteRequest("checked by hand for the dry-run test"));
        await world.Admin.RecordReleaseAsync("worker", new RecordReleaseRequest("v2", RecordedBy: "deploy-bot"));
        await using var olivia = await browser.LoginAsync(world.Url, world.Tokens["olivia"]);
        var page = olivia.Page;

        await page.GotoAsync("/ui/#/rollback?component=worker");

        await Assertions.Expect(page.GetByTestId("dry-run")).ToContainTextAsync("switch");
        var approval = page.GetByTestId("dry-run-approval");
        await Assertions.Expect(approval).ToContainTextAsync("Approval needed before anything runs (approval rule 1; two-person: not you; approvers give an authenticator code): an approval by any of approver; decide within 15m, then it escalates.");
        olivia.Errors.ShouldBeEmpty();
    }
}
