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
        // ledger's v1 is known good; v2 deployed over it (worker is left as it is: other tests need it without a known-good release)
        await world.Admin.RecordReleaseAsync("ledger", new RecordReleaseRequest("v2", RecordedBy: "deploy-bot"));
        await using var olivia = await browser.LoginAsync(world.Url, world.Tokens["olivia"]);
        var page = olivia.Page;

        await page.GotoAsync("/ui/#/rollback?component=ledger");

        await Assertions.Expect(page.GetByTestId("dry-run")).ToContainTextAsync("switch");
        var approval = page.GetByTestId("dry-run-approval");
        await Assertions.Expect(approval).ToContainTextAsync("Approval needed before anything runs (approval rule 1; two-person: not you; approvers give an authenticator code): an approval by any of approver; decide within 15m, then it escalates.");
        olivia.Errors.ShouldBeEmpty();
    }
}
