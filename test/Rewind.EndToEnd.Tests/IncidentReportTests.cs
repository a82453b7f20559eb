using System.Globalization;
using System.Text.RegularExpressions;
using Rewind.Client;
using Rewind.Runtime.Processes;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The acceptance of the post-incident report: <c>rewind incident report</c> for the demo incident is complete, and its
/// timings are the ones computed here, independently, from the stored incident, release, rollback steps and timeline.
/// </summary>
[Collection(DemoRuns.Name)]
public sealed partial class IncidentReportTests
{
    [Fact]
    public async Task Report_DemoIncident_IsCompleteAndItsTimingsMatchTheStoredRecord()
    {
        using var demo = RewindProcess.Start("demo", "--keep");
        Match? keep = null;
        try
        {
            keep = await Eventually.WaitAsync(() => Task.FromResult(KeepLine().Match(demo.Output) is { Success: true } m ? m : null), TimeSpan.FromMinutes(3), "the demo to tell its story and keep running");
            demo.Output.ShouldContain("now serving: v1, healthy");
            var api = keep.Groups["api"].Value;
            var token = DemoToken().Match(demo.Output).Groups["token"].Value;
            using var http = new HttpClient { BaseAddress = new Uri(api + "/"), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var client = new RewindClient(http);
            // The incident the demo followed and summarised (a slow start may have opened and closed another one before v2).
            var incident = await client.GetIncidentAsync(SummaryLine().Match(demo.Output).Groups["id"].Value);
            var rollback = await client.GetRollbackAsync(incident.Rollbacks.ShouldHaveSingleItem());
            var deployed = (await client.GetReleasesAsync("web")).Single(r => r.Version == incident.Release).RecordedAt;
            var switched = rollback.Steps.Single(s => s.Kind == "switch").FinishedAt!.Value;

            using var reportRun = RewindProcess.Start(new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_TOKEN"] = token }, "incident", "report", incident.Id, "--server", api);
            (await reportRun.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, reportRun.Output);
            var report = reportRun.Output;

            // The stored timeline agrees with the records the timings are computed from.
            incident.Timeline.First(e => e.Kind == "opened").At.ShouldBe(incident.OpenedAt);
            incident.Timeline.Single(e => e.Kind == "decision" && e.Message.Contains(rollback.Id, StringComparison.Ordinal)).At.ShouldBe(rollback.RequestedAt);
            incident.ResolvedAt.ShouldBe(rollback.FinishedAt);
            Timing(report, "time to detect").ShouldBe((Seconds(incident.OpenedAt - deployed), $"from web {incident.Release} recorded as deployed ({Utc(deployed)}) to the incident opened ({Utc(incident.OpenedAt)})"));
            Timing(report, "time to decide").ShouldBe((Seconds(rollback.RequestedAt - incident.OpenedAt), $"from the incident opened ({Utc(incident.OpenedAt)}) to rollback {rollback.Id} requested ({Utc(rollback.RequestedAt)})"));
            Timing(report, "time to roll back").ShouldBe((Seconds(switched - rollback.RequestedAt), $"from rollback {rollback.Id} requested ({Utc(rollback.RequestedAt)}) to its switch step finished ({Utc(switched)})"));
            Timing(report, "time to recover").ShouldBe((Seconds(rollback.FinishedAt!.Value - incident.OpenedAt), $"from the incident opened ({Utc(incident.OpenedAt)}) to rollback {rollback.Id} succeeded ({Utc(rollback.FinishedAt.Value)})"));

            report.ShouldStartWith($"# Post-incident report: {incident.Id}\n");
            report.ShouldContain("- **releases:** v2 → v1");
            report.ShouldContain("- **status:** resolved");
            report.ShouldContain("- **false positive:** no");
            report.ShouldContain($"From {Utc(incident.OpenedAt)} (opened) to {Utc(incident.ResolvedAt!.Value)} (resolved)");
            Regex.IsMatch(report, @"^- [0-9: .Z-]+, policy:health-down: policy health-down: ", RegexOptions.Multiline, TimeSpan.FromSeconds(1)).ShouldBeTrue("the triggering evidence is listed");
            report.Split('\n').Count(l => l.StartsWith("| 20", StringComparison.Ordinal)).ShouldBe(incident.Timeline.Count, "one timeline row per stored entry");
            foreach (var step in rollback.Steps)
            {
                report.ShouldContain($"| {step.Index + 1} | {step.Kind} | succeeded | 1 | {Utc(step.StartedAt!.Value)} | {Utc(step.FinishedAt!.Value)} | {Seconds(step.FinishedAt.Value - step.StartedAt.Value)} |");
            }

            report.ShouldContain("## Root cause\n\n_To be written._");
            report.ShouldContain("## Action items\n\n_To be written._");
        }
        finally
        {
            demo.Terminate();
            await demo.WaitForExitAsync(TimeSpan.FromSeconds(30));
            if (keep is not null || WorkspaceLine().Match(demo.Output) is { Success: true })
            {
                await CleanUpAsync(demo.Output);
            }
        }
    }

    private static (string Duration, string Span) Timing(string report, string name)
    {
        var row = Regex.Match(report, $@"^\| {name} \| (?<d>[^|]+) \| (?<s>.+) \|$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        row.Success.ShouldBeTrue($"no '{name}' row in the report:\n{report}");
        return (row.Groups["d"].Value, row.Groups["s"].Value);
    }

    /// <summary>The report's format for durations under a minute, which the demo's all are.</summary>
    private static string Seconds(TimeSpan duration)
    {
        duration.ShouldBeLessThan(TimeSpan.FromMinutes(1));
        return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds / 1000:0.000} s");
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>With --keep the demo leaves its workspace and service for the user; a test must not.</summary>
    private static async Task CleanUpAsync(string output)
    {
        var workspace = WorkspaceLine().Match(output).Groups["root"].Value;
        if (KeepLine().Match(output) is { Success: true } keep)
        {
            var port = keep.Groups["port"].Value;
            await new ProcessRunner().RunAsync(new ProcessRequest([Deployment.ServiceCtl, "stop", Path.Combine(workspace, "app"), port], workspace, TimeSpan.FromSeconds(30)));
        }

        if (workspace.Length > 0 && Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [GeneratedRegex("REWIND_TOKEN=(?<token>rwt_[A-Za-z0-9_-]+)", RegexOptions.None, 1000)]
    private static partial Regex DemoToken();

    [GeneratedRegex(@"--keep: API (?<api>http://127\.0\.0\.1:\d+)/api/v1/components, service http://127\.0\.0\.1:(?<port>\d+)/health", RegexOptions.None, 1000)]
    private static partial Regex KeepLine();

    [GeneratedRegex(@"^(?<id>INC-\d{4}-\d{2}-\d{2}-\d{4}) \(P\d, \w+\): ", RegexOptions.Multiline, 1000)]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"workspace (?<root>/\S+?): app/releases", RegexOptions.None, 1000)]
    private static partial Regex WorkspaceLine();
}
