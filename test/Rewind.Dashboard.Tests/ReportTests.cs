using Microsoft.Playwright;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class ReportTests(DashboardWorld world, Browser browser)
{
    [Fact]
    public async Task Report_OfAResolvedIncident_IsRenderedAndMarkupFromItsRecordIsOnlyText()
    {
        var rollback = await world.RollBackGateAsync("<script>window.pwned = 1</script> see [the runbook](javascript:window.pwned=2)");
        await world.As("alex").DenyRollbackAsync(rollback.Id, "<img src=x onerror=\"window.pwned = 3\">");
        await Eventually.WaitAsync(async () => (await world.Admin.GetRollbackAsync(rollback.Id)).Status == "failed", TimeSpan.FromSeconds(30), "the denied step to fail the rollback");
        var incident = rollback.IncidentId!;
        await world.As("olivia").ResolveIncidentAsync(incident, new ResolveIncidentRequest("<script>window.pwned = 4</script> *queue* restarted"));
        await using var olivia = await browser.LoginAsync(world.Url, world.Tokens["olivia"]);
        var page = olivia.Page;

        await page.GotoAsync($"/ui/#/incidents/{incident}");
        var report = page.GetByTestId("report");
        await Assertions.Expect(report.Locator("h2", new() { HasText = "Summary" })).ToBeVisibleAsync(); // rendered: headings, lists, tables
        await Assertions.Expect(report.Locator("table").First).ToBeVisibleAsync();
        await Assertions.Expect(report).Not.ToContainTextAsync("## Summary");
        await Assertions.Expect(report).ToContainTextAsync("<script>window.pwned = 1</script> see [the runbook](javascript:window.pwned=2)");
        await Assertions.Expect(report).ToContainTextAsync("<img src=x onerror=\"window.pwned = 3\">");
        await Assertions.Expect(report).ToContainTextAsync("<script>window.pwned = 4</script> *queue* restarted");
        await Assertions.Expect(report.Locator("script, img, a")).ToHaveCountAsync(0);
        await Assertions.Expect(report.Locator("em", new() { HasText = "queue" })).ToHaveCountAsync(0); // the report's own _To be written._ is the only emphasis
        (await page.EvaluateAsync<bool>("() => window.pwned === undefined")).ShouldBeTrue("markup from the record ran");
        await olivia.ScreenshotAsync("incident-report");

        await page.GotoAsync($"/api/v1/incidents/{incident}/report?format=html"); // "Open as a page"
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(incident);
        await Assertions.Expect(page.Locator("body script, body img, body a")).ToHaveCountAsync(0);
        (await page.EvaluateAsync<bool>("() => window.pwned === undefined")).ShouldBeTrue("markup from the record ran on the report's own page");
        olivia.Errors.ShouldBeEmpty();
    }
}
