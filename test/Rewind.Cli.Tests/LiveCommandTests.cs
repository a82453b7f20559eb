using Rewind.TestUtils;

namespace Rewind.Cli.Tests;

/// <summary>The CLI against a real controller: what an operator types and reads, and the exit codes scripts use.</summary>
public sealed class LiveCommandTests
{
    [Fact]
    public async Task ReleaseRecordThenRollback_DryRunYesAndRecord_ReadAsTheOperatorExpects()
    {
        await using var server = await LiveServer.StartAsync();
        (await CliRun.RunAsync("release", "record", "web", "v1", "--commit", "a1b2c3d", "--by", "alice", "--server", server.Url)).ExitCode.ShouldBe(0);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CliRun.Tokens[server.Url]);
        await Eventually.WaitAsync(async () => (await new Client.RewindClient(http).GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), TimeSpan.FromSeconds(20), "v1 to bake");
        (await CliRun.RunAsync("release", "record", "web", "v2", "--server", server.Url)).ExitCode.ShouldBe(0);

        var dryRun = await CliRun.RunAsync("rollback", "web", "--dry-run", "--server", server.Url);
        var unconfirmed = await CliRun.RunAsync("rollback", "web", "--server", server.Url);
        var current = File.ResolveLinkTarget(Path.Combine(server.AppRoot, "current"), false)!.FullName;
        var confirmed = await CliRun.RunAsync("rollback", "web", "--yes", "--reason", "checkout errors", "--server", server.Url);

        dryRun.ExitCode.ShouldBe(0);
        Approved.Verify("rollback-dry-run", server.Normalize(dryRun.Output), Repository.TestProject("Rewind.Cli.Tests"));
        unconfirmed.ExitCode.ShouldBe(2);
        unconfirmed.Error.ShouldContain("not on a terminal; pass --yes to confirm the rollback");
        current.ShouldEndWith(Path.Combine("releases", "v2"));
        confirmed.ExitCode.ShouldBe(0, confirmed.Error);
        confirmed.Output.ShouldMatch(@"RB-\d{4}-\d{2}-\d{2}-0001 succeeded: web is on v1 and healthy");

        var incidents = await CliRun.RunAsync("incidents", "--server", server.Url);
        var id = System.Text.RegularExpressions.Regex.Match(incidents.Output, @"INC-\d{4}-\d{2}-\d{2}-\d{4}", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)).Value;
        var shown = await CliRun.RunAsync("incident", "show", id, "--server", server.Url);
        shown.ExitCode.ShouldBe(0);
        shown.Output.ShouldContain("manual rollback requested by");
        shown.Output.ShouldContain("v2 -> v1: succeeded");
        (await CliRun.RunAsync("releases", "web", "--server", server.Url)).Output.ShouldContain("rolled-back");
    }

    [Fact]
    public async Task Status_WithAgents_ListsEachConnectedOrLost()
    {
        await using var server = await LiveServer.StartAsync();
        var now = TimeProvider.System.GetUtcNow();
        await server.Store.SaveAgentAsync(new Core.Agents.AgentRecord("app-1", "i-1", "1.2.3", "10.0.0.7", now, now, now));
        await server.Store.SaveAgentAsync(new Core.Agents.AgentRecord("db-1", "i-2", "1.2.2", "10.0.0.8", now.AddHours(-2), now.AddHours(-2), now.AddHours(-1)));

        var status = await CliRun.RunAsync("status", "--server", server.Url);

        status.ExitCode.ShouldBe(0, status.Error);
        var lines = status.Output.Split('\n');
        lines.ShouldContain(l => l.Contains("agent host", StringComparison.Ordinal) && l.Contains("last contact", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("app-1", StringComparison.Ordinal) && l.Contains("connected", StringComparison.Ordinal) && l.Contains("1.2.3", StringComparison.Ordinal) && l.Contains(" s ago", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("db-1", StringComparison.Ordinal) && l.Contains("lost", StringComparison.Ordinal) && l.Contains("1.2.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollback_NoKnownGood_ExplainsAndExits1()
    {
        await using var server = await LiveServer.StartAsync();
        (await CliRun.RunAsync("release", "record", "web", "v2", "--server", server.Url)).ExitCode.ShouldBe(0);

        var run = await CliRun.RunAsync("rollback", "web", "--yes", "--server", server.Url);

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldStartWith("error: rollback refused: web has no known-good release to roll back to");
    }

    [Fact]
    public async Task ReleaseCheck_NewVersionExits0_BadReleaseExits4NamingTheIncident()
    {
        await using var server = await LiveServer.StartAsync();
        (await CliRun.RunAsync("release", "record", "web", "v2", "--server", server.Url)).ExitCode.ShouldBe(0);
        var incident = await server.Store.OpenIncidentAsync("web", Core.Incidents.Severity.P1, "checkout errors", null, "v2", TimeProvider.System.GetUtcNow(), "alice");
        (await CliRun.RunAsync("release", "mark-bad", "web", "v2", "--server", server.Url)).ExitCode.ShouldBe(0);

        var allowed = await CliRun.RunAsync("release", "check", "web", "v3", "--server", server.Url);
        var refused = await CliRun.RunAsync("release", "check", "web", "v2", "--server", server.Url);
        var json = await CliRun.RunAsync("release", "check", "web", "v2", "--json", "--server", server.Url);

        allowed.ExitCode.ShouldBe(0);
        allowed.Output.ShouldBe("ok: v3 of web may be deployed (not recorded yet: a new release)" + Environment.NewLine);
        refused.ExitCode.ShouldBe(4);
        refused.Output.ShouldBe($"refused: v2 of web was marked bad in incident {incident.Id}; deploying it again would bring the fault back. Fix forward with a new version.{Environment.NewLine}");
        json.ExitCode.ShouldBe(4);
        json.Output.ShouldStartWith($$"""{"component":"web","version":"v2","allowed":false,"state":"bad","incident":"{{incident.Id}}","reason":"v2 of web was marked bad""");
    }

    [Fact]
    public async Task ReleaseCheck_ServerUnreachable_Exits3()
    {
        var run = await CliRun.RunAsync("release", "check", "web", "v3", "--server", "http://127.0.0.1:9");

        run.ExitCode.ShouldBe(3);
        run.Error.ShouldStartWith("error: cannot reach the Rewind server at http://127.0.0.1:9");
    }
}
