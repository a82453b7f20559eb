using System.Text.RegularExpressions;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Cli.Tests;

/// <summary>The incident commands against a real controller, after a real manual rollback.</summary>
public sealed class IncidentCommandTests
{
    [Fact]
    public async Task AckNoteStatusResolveReportStats_OnARolledBackIncident_ReadAsTheOperatorExpects()
    {
        await using var server = await LiveServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CliRun.Tokens[server.Url]);
        var client = new RewindClient(http);
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), TimeSpan.FromSeconds(20), "v1 to bake");
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
        var rollback = await client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors", RequestedBy: "alice"));
        var id = rollback.IncidentId!;
        await Eventually.WaitAsync(async () => (await client.GetIncidentAsync(id)).Status == "resolved", TimeSpan.FromSeconds(20), "the rollback to resolve the incident");

        var ack = await CliRun.RunAsync("incident", "ack", id, "--server", server.Url);
        var ackAgain = await CliRun.RunAsync("incident", "ack", id, "--server", server.Url);
        var note = await CliRun.RunAsync("incident", "note", id, "users | saw 500s", "--server", server.Url);
        var status = await CliRun.RunAsync("incident", "status", id, "monitoring", "--server", server.Url);
        var badStatus = await CliRun.RunAsync("incident", "status", id, "resolved", "--server", server.Url);
        var report = await CliRun.RunAsync("incident", "report", id, "--server", server.Url);
        var file = Path.Combine(server.Root, "report.html");
        var html = await CliRun.RunAsync("incident", "report", id, "-o", file, "--server", server.Url);
        var stats = await CliRun.RunAsync("stats", "--since", "1h", "--server", server.Url);

        ack.ExitCode.ShouldBe(1);
        ack.Error.ShouldStartWith($"error: already resolved: incident {id} was resolved at ");
        ackAgain.ExitCode.ShouldBe(1);
        note.ExitCode.ShouldBe(0, note.Error);
        note.Output.ShouldBe($"note added to {id}\n");
        status.ExitCode.ShouldBe(1);
        status.Error.ShouldContain("status refused");
        badStatus.ExitCode.ShouldBe(2);
        badStatus.Error.ShouldContain("resolved");
        report.ExitCode.ShouldBe(0, report.Error);
        report.Output.ShouldStartWith($"# Post-incident report: {id}\n");
        report.Output.ShouldContain(@"| note | " + "alice" + @" | users \| saw 500s |");
        report.Output.ShouldMatch(@"\| time to roll back \| \d+\.\d{3} s \| from rollback RB-\d{4}-\d{2}-\d{2}-0001 requested");
        html.ExitCode.ShouldBe(0, html.Error);
        html.Output.ShouldBe($"wrote {file} (html)\n");
        (await File.ReadAllTextAsync(file)).ShouldStartWith("<!DOCTYPE html>");
        stats.ExitCode.ShouldBe(0, stats.Error);
        Regex.IsMatch(stats.Output, @"│ web\s+│ 1\s+│ 1\s+│ 1/1 \(100 %\)", RegexOptions.None, TimeSpan.FromSeconds(1)).ShouldBeTrue(stats.Output);
    }

    [Fact]
    public async Task AckStatusAndResolve_OnAnOpenIncident_SayWhatChanged()
    {
        await using var server = await LiveServer.StartAsync();
        var incident = await server.Store.OpenIncidentAsync("web", Core.Incidents.Severity.P2, "web: checkout errors", null, null, TimeProvider.System.GetUtcNow(), "alice");

        var ack = await CliRun.RunAsync("incident", "ack", incident.Id, "--server", server.Url);
        var mitigating = await CliRun.RunAsync("incident", "status", incident.Id, "mitigating", "--server", server.Url);
        var resolve = await CliRun.RunAsync("incident", "resolve", incident.Id, "--note", "fixed forward with v3", "--false-positive", "--server", server.Url);
        var show = await CliRun.RunAsync("incident", "show", incident.Id, "--server", server.Url);

        (ack.ExitCode, ack.Output).ShouldBe((0, $"{incident.Id} acknowledged by {"alice"}\n"));
        (mitigating.ExitCode, mitigating.Output).ShouldBe((0, $"{incident.Id} is mitigating\n"));
        (resolve.ExitCode, resolve.Output).ShouldBe((0, $"{incident.Id} is resolved (false positive)\n"));
        show.Output.ShouldContain("(false positive)");
        show.Output.ShouldContain("acknowledged 20");
        show.Output.ShouldContain("status investigating -> mitigating");
    }

    [Fact]
    public async Task Resolve_FalsePositiveAfterResolution_IsMarkedAndCounted()
    {
        await using var server = await LiveServer.StartAsync();
        var incident = await server.Store.OpenIncidentAsync("web", Core.Incidents.Severity.P2, "web: checkout errors", null, null, TimeProvider.System.GetUtcNow(), "alice");
        (await CliRun.RunAsync("incident", "resolve", incident.Id, "--note", "fixed forward with v3", "--server", server.Url)).ExitCode.ShouldBe(0);

        var plain = await CliRun.RunAsync("incident", "resolve", incident.Id, "--note", "again", "--server", server.Url);
        var marked = await CliRun.RunAsync("incident", "resolve", incident.Id, "--note", "the errors were a load test", "--false-positive", "--server", server.Url);
        var stats = await CliRun.RunAsync("stats", "--since", "1h", "--server", server.Url);
        var show = await CliRun.RunAsync("incident", "show", incident.Id, "--server", server.Url);

        plain.ExitCode.ShouldBe(1);
        plain.Error.ShouldContain($"; to mark it a false positive, resolve it again with falsePositive (`rewind incident resolve {incident.Id} --false-positive --note TEXT`)");
        (marked.ExitCode, marked.Output).ShouldBe((0, $"{incident.Id} is resolved (false positive)\n"), marked.Error);
        Regex.IsMatch(stats.Output, @"│ web\s+│ 1\s+│.*│ 1/1 \(100 %\)\s+│\n", RegexOptions.None, TimeSpan.FromSeconds(1)).ShouldBeTrue(stats.Output);
        show.Output.ShouldContain("marked a false positive by alice after its resolution: the errors were a load test");
    }

    [Fact]
    public async Task EscalateAndShow_SayTheLevelAndWhatComesNext()
    {
        await using var server = await LiveServer.StartAsync("""
            escalation:
              - name: web-oncall
                levels:
                  - { after: 0s, contacts: [oncall] }
                  - { after: 1h, if: unresolved, contacts: [manager] }
            """);
        var incident = await server.Store.OpenIncidentAsync("web", Core.Incidents.Severity.P2, "web: checkout errors", null, null, TimeProvider.System.GetUtcNow(), "alice");
        await Eventually.WaitAsync(async () => (await CliRun.RunAsync("incident", "show", incident.Id, "--server", server.Url)).Output.Contains("level 1 of 2", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "level 1 at opening");

        var show = await CliRun.RunAsync("incident", "show", incident.Id, "--server", server.Url);
        var escalate = await CliRun.RunAsync("incident", "escalate", incident.Id, "--reason", "customers calling", "--server", server.Url);
        var noReason = await CliRun.RunAsync("incident", "escalate", incident.Id, "--server", server.Url);

        show.Output.ShouldContain($"escalation web-oncall: level 1 of 2 (oncall); next: level 2 (manager) at {(incident.OpenedAt + TimeSpan.FromHours(1)).UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z if still unresolved\n");
        (escalate.ExitCode, escalate.Output).ShouldBe((0, $"{incident.Id} escalated: level 2 of 2 (manager)\n"));
        noReason.ExitCode.ShouldBe(2);
        (await CliRun.RunAsync("incident", "show", incident.Id, "--server", server.Url)).Output.ShouldContain("escalated to level 2 (manager) by alice: customers calling");
    }
}
