using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A game day end to end: <c>rewind drill run</c> deploys the designated bad release of a real service (release-dir,
/// restart through servicectl), the controller detects it with the same policy as in production, rolls it back, and the
/// drill judges the run against its targets; twice, since the bad release must be deployable by the drill again. Then a
/// real incident is open and the drill is refused and recorded so. The policy's cooldown is 1 s here: with the default
/// 10 minutes the second run would find automatic rollback deferred (and fail, saying so), as production would.
/// </summary>
public sealed class DrillTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DrillRun_BadReleaseDeployedTwice_DetectedRolledBackPassedAndKeptOutOfTheRealFigures()
    {
        await using var deployment = new Deployment();
        deployment.Install("v1", "none");
        deployment.Install("v2", "broken");
        deployment.PointCurrentAt("v1");
        deployment.WriteConfig();
        WriteDrills(deployment);
        (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        using var rewind = RewindProcess.Start("serve", "--config", deployment.ConfigPath);
        var token = await RewindProcess.InitAccessAsync(deployment.ConfigPath);
        var client = ApiClient.For(new Uri(deployment.ApiUrl + "/"), token);
        await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the controller");
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");

        var first = await RunDrillAsync(deployment, token, expectedExit: 0);
        first.ShouldContain("# Drill bad-release: PASSED");
        first.ShouldContain("| recover |");
        var second = await RunDrillAsync(deployment, token, expectedExit: 0);
        second.ShouldContain("# Drill bad-release: PASSED", customMessage: rewind.Output);

        var runs = await client.GetDrillRunsAsync("bad-release");
        runs.Count.ShouldBe(2);
        foreach (var run in runs)
        {
            run.Status.ShouldBe("passed");
            var report = run.Report.ShouldNotBeNull();
            report.Measures.Single(m => m.Name == "detect").Verdict.ShouldBe("pass");
            report.Measures.Single(m => m.Name == "recover").Seconds.ShouldNotBeNull().ShouldBeLessThan(60);
            var incident = await client.GetIncidentAsync(report.Incidents.ShouldHaveSingleItem());
            incident.DrillRun.ShouldBe(run.Id);
            incident.Title.ShouldStartWith("[drill bad-release] ");
            report.Events.ShouldContain(e => e.What.StartsWith("fault made (deploy v2)", StringComparison.Ordinal) && e.Outcome == "done");
            report.Events.ShouldContain(e => e.What.Contains("step", StringComparison.Ordinal) && e.What.Contains("switch", StringComparison.Ordinal) && e.Outcome == "succeeded");
        }

        var incidents = await client.GetIncidentsAsync();
        incidents.Count(i => i.DrillRun is not null).ShouldBe(2);
        (await client.GetIncidentMetricsAsync(null, "1d")).Overall.Incidents.ShouldBe(incidents.Count(i => i.DrillRun is null), "drill incidents are not real incidents (a real one may come of a slow start on a loaded machine)");
        (await client.GetReleasesAsync("web")).Single(r => r.Version == "v2").State.ShouldBeOneOf("bad", "rolled-back");
        var drills = await client.GetDrillsAsync();
        drills.Single().Trend.Passed.ShouldBe(2);
        (await new HttpClient().GetStringAsync(new Uri(deployment.ServiceUrl + "/health"))).ShouldContain("\"version\":\"v1\"");

        await RefusedWhileARealIncidentIsOpenAsync(deployment, client, token);
    }

    /// <summary>The service stops: a real incident opens (with nothing known good to roll back to, it stays open); the drill is refused and recorded as refused.</summary>
    private static async Task RefusedWhileARealIncidentIsOpenAsync(Deployment deployment, RewindClient client, string token)
    {
        (await deployment.ServiceCtlAsync("stop")).Succeeded.ShouldBeTrue();
        var real = await Eventually.WaitAsync(async () => (await client.GetIncidentsAsync()).FirstOrDefault(i => i.DrillRun is null && i.Status != "resolved"), Deadline, "a real incident on web");
        var refused = await RunDrillAsync(deployment, token, expectedExit: 4);
        refused.ShouldContain($"incident {real.Id} is open on web");
        (await client.GetDrillRunsAsync("bad-release"))[0].Status.ShouldBe("refused");
    }

    private static async Task<string> RunDrillAsync(Deployment deployment, string token, int expectedExit)
    {
        using var run = RewindProcess.Start(new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_TOKEN"] = token }, "drill", "run", "bad-release", "--server", deployment.ApiUrl);
        (await run.WaitForExitAsync(Deadline)).ShouldBe(expectedExit, run.Output);
        return run.Output;
    }

    private static void WriteDrills(Deployment deployment) => File.WriteAllText(deployment.ConfigPath, File.ReadAllText(deployment.ConfigPath)
        .Replace("    bake-time: 1s", "    bake-time: 1s\n    deploy-grace: 2s", StringComparison.Ordinal)
        .Replace("        mode: auto\n", "        mode: auto\n        cooldown: 1s\n", StringComparison.Ordinal) + """
        drills:
          bad-release:
            description: a release that fails its health check reaches production
            component: web
            fault: { deploy: { version: v2 } }
            targets: { detect: 30s, decide: 10s, rollback: 30s, recover: 60s }
            timeout: 80s

        """);
}
