using System.Diagnostics;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The write-ahead guarantee, checked the hard way: SIGKILL the controller after the switch and during the
/// wait-healthy step; a new controller resumes at the first unfinished step and never switches twice.
/// </summary>
public sealed class KillAndResumeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Rollback_ControllerKilledDuringWaitHealthy_ResumesWithoutSwitchingTwice(string store)
    {
        await using var database = store == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        await using var deployment = new Deployment();
        deployment.Install("v1", "none", startupDelayMs: 4000); // v1 takes 4 s to become healthy: a wide window to kill in
        deployment.Install("v2", "broken");
        deployment.PointCurrentAt("v1");
        deployment.WriteConfig(database?.Url ?? "sqlite:rewind.db");
        (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        using var service = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.WaitAsync(async () => (await service.GetAsync(new Uri(deployment.ServiceUrl + "/health"))).IsSuccessStatusCode, Deadline, "v1 to finish starting");

        using var http = new HttpClient { BaseAddress = new Uri(deployment.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await RewindProcess.InitAccessAsync(deployment.ConfigPath));
        var client = new RewindClient(http);
        string rollbackId;
        string inodeAfterSwitch;
        using (var first = RewindProcess.Start("serve", "--config", deployment.ConfigPath))
        {
            await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the first controller to answer");
            await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
            await Eventually.WaitAsync(async () => (await client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");

            Rewind.Runtime.Releases.ReleaseDirectory.Switch(deployment.AppRoot, "v2").Succeeded.ShouldBeTrue();
            (await deployment.ServiceCtlAsync("restart")).Succeeded.ShouldBeTrue();
            await client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));

            var waiting = await Eventually.WaitAsync(
                async () => (await client.GetRollbacksAsync()).FirstOrDefault(r => r.Steps.Count == 3 && r.Steps[0].Status == "succeeded" && r.Steps[2].Status == "running"),
                Deadline,
                "the rollback to be inside its wait-healthy step");
            rollbackId = waiting.Id;
            inodeAfterSwitch = Inode(Path.Combine(deployment.AppRoot, "current"));
            first.KillHard();
            first.HasExited.ShouldBeTrue();
        }

        var stored = Path.Combine(deployment.AppRoot, "current");
        File.ResolveLinkTarget(stored, returnFinalTarget: false)!.FullName.ShouldEndWith(Path.Combine("releases", "v1"));

        using var second = RewindProcess.Start("serve", "--config", deployment.ConfigPath);
        var finished = await Eventually.WaitAsync(
            async () => await client.GetRollbackAsync(rollbackId) is { Status: "succeeded" or "failed" } r ? r : null,
            Deadline,
            "the resumed rollback to finish");

        finished.Status.ShouldBe("succeeded", second.Output);
        finished.Steps.Select(s => (s.Kind, s.Attempts)).ShouldBe([("switch", 1), ("restart", 1), ("wait-healthy", 2)]);
        Inode(stored).ShouldBe(inodeAfterSwitch, "the current symlink was replaced again after the crash");
        (await client.GetRollbacksAsync()).Count.ShouldBe(1);
        var incident = await client.GetIncidentAsync(finished.IncidentId!);
        incident.Status.ShouldBe("resolved");
        incident.Timeline.ShouldContain(e => e.Message.Contains("resumed from its stored record at step 3 of 3", StringComparison.Ordinal));
        (await service.GetStringAsync(new Uri(deployment.ServiceUrl + "/health"))).ShouldContain("\"version\":\"v1\"");
    }

    private static string Inode(string path)
    {
        var info = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false, ArgumentList = { "-c", "%i", path } };
        using var process = Process.Start(info)!;
        var inode = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return inode;
    }
}
