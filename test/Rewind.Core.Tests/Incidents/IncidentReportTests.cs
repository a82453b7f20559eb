using Rewind.Core.Incidents;
using Rewind.TestUtils;

namespace Rewind.Core.Tests.Incidents;

public sealed class IncidentReportTests
{
    private static readonly string Project = Repository.TestProject("Rewind.Core.Tests");

    [Fact]
    public void ToMarkdown_FixedRecord_IsTheApprovedReport()
    {
        Approved.Verify("incident-report-md", IncidentReport.ToMarkdown(SampleRecords.AutomaticRollback()), Project);
    }

    [Fact]
    public void ToHtml_FixedRecord_IsTheApprovedPage()
    {
        Approved.Verify("incident-report-html", IncidentReport.ToHtml(SampleRecords.AutomaticRollback()), Project);
    }

    [Fact]
    public void ToMarkdown_FixedRecord_HasEverySectionInOrder()
    {
        var report = IncidentReport.ToMarkdown(SampleRecords.AutomaticRollback());

        string[] sections = ["# Post-incident report: INC-2026-11-22-0001", "## Summary", "## Impact window", "## Timings", "## Evidence", "## Timeline", "## Rollbacks", "## Root cause", "## Action items"];
        sections.Select(s => report.IndexOf(s + "\n", StringComparison.Ordinal)).ShouldBe(sections.Select(s => report.IndexOf(s + "\n", StringComparison.Ordinal)).Order(), "sections out of order");
        sections.ShouldAllBe(s => report.Contains(s + "\n", StringComparison.Ordinal));
        report.ShouldContain("| time to detect | 1.350 s | from web v2 recorded as deployed (2026-11-22 11:24:10.000Z) to the incident opened (2026-11-22 11:24:11.350Z) |");
        report.ShouldContain("- **false positive:** no");
        report.ShouldContain("- **releases:** v2 → v1");
    }

    [Fact]
    public void ToMarkdown_MessageWithPipeAndNewline_StaysInOneTableRowOfFourCells()
    {
        var report = IncidentReport.ToMarkdown(SampleRecords.AutomaticRollback());

        var row = report.Split('\n').Single(l => l.Contains("checkout", StringComparison.Ordinal));
        row.ShouldBe(@"| 2026-11-22 11:24:12.500Z | note | alice | checkout \| payments failing ⏎ \<script>alert(1)\</script> see \[this\](javascript:alert(1)) \*now\* |");
    }

    [Fact]
    public void ToHtml_HostileMessage_IsTextNeverMarkupOrLink()
    {
        var html = IncidentReport.ToHtml(SampleRecords.AutomaticRollback());

        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<title>Post-incident report: INC-2026-11-22-0001</title>");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.ShouldNotContain("<script");
        html.ShouldNotContain("<a ");
        html.ShouldNotContain("<em>now</em>");
        html.ShouldContain("<td>checkout | payments failing ⏎ ");
    }

    [Fact]
    public void ToHtml_HtmlInTheTitle_IsEscapedInTitleAndBody()
    {
        var record = SampleRecords.AutomaticRollback();
        var hostile = record with { Incident = record.Incident with { Title = "</title><img src=x onerror=alert(1)>" } };

        var html = IncidentReport.ToHtml(hostile);

        html.ShouldNotContain("<img");
        html.ShouldContain("&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;");
    }

    [Fact]
    public void ToMarkdown_OpenIncidentWithoutRollback_SaysWhatIsNotKnownYet()
    {
        var report = IncidentReport.ToMarkdown(SampleRecords.Manual("web", SampleRecords.T0, null));

        report.ShouldContain("From 2026-11-22 11:24:10.000Z (opened); not resolved yet.");
        report.ShouldContain("- **false positive:** not known yet (open)");
        report.ShouldContain("No policy evidence: the incident was opened by a person.");
        report.ShouldContain("## Rollbacks\n\nNone.");
        report.ShouldContain("| time to roll back | - | not measured: no rollback was requested |");
    }

    [Fact]
    public void ToHtmlFragment_FixedRecord_IsTheApprovedPagesBody()
    {
        var record = SampleRecords.AutomaticRollback();
        var page = IncidentReport.ToHtml(record);

        var fragment = IncidentReport.ToHtmlFragment(record);

        fragment.ShouldStartWith("<h1>Post-incident report: INC-2026-11-22-0001</h1>");
        page.ShouldContain("<body>\n" + fragment + "\n</body>");
    }

    [Theory]
    [InlineData("[runbook](javascript:alert(1))", "runbook")]
    [InlineData("[runbook](JavaScript:alert(1))", "runbook")]
    [InlineData("[runbook](data:text/html,<script>alert(1)</script>)", "runbook")]
    [InlineData("<javascript:alert(1)>", "javascript:alert(1)")]
    [InlineData("![pixel](https://tracker.example/p.png)", "pixel")]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    public void Render_UnsafeMarkdown_LeavesOnlyText(string markdown, string text)
    {
        var html = IncidentReport.Render(markdown);

        html.ShouldBe($"<p>{text}</p>");
    }

    [Theory]
    [InlineData("[docs](https://rewind.example/docs)", "<a href=\"https://rewind.example/docs\">docs</a>")]
    [InlineData("<mailto:oncall@example.org>", "<a href=\"mailto:oncall@example.org\">mailto:oncall@example.org</a>")]
    public void Render_WebAndMailLinks_StayLinks(string markdown, string link)
    {
        IncidentReport.Render(markdown).ShouldBe($"<p>{link}</p>");
    }
}
