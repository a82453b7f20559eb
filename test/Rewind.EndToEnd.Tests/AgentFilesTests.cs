using System.Globalization;
using Rewind.Client;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A <c>files</c> component on another host (<c>host: app-1</c>): a real controller and app-1's agent as a separate
/// process, the files in app-1's own directory. The copy a release stands for is taken on app-1 by its agent when the
/// release is recorded, and a rollback restores it there; a host whose agent never polled cannot have a release recorded.
/// </summary>
public sealed class AgentFilesTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FilesOnAHost_CopiesTakenAndRestoredThereByItsAgent_AndNoRecordWithoutAnAgent()
    {
        var root = Directory.CreateTempSubdirectory("rewind-agent-files-").FullName;
        var host = Directory.CreateDirectory(Path.Combine(root, "app-1")).FullName;
        var env = Path.Combine(host, "etc", "shop.env");
        Directory.CreateDirectory(Path.GetDirectoryName(env)!);
        await File.WriteAllTextAsync(env, "MODE=v1\n");
        var config = Path.Combine(root, "rewind.yaml");
        var api = SampleRelease.FreeLoopbackPort();
        await WriteConfigAsync(config, api, env, Path.Combine(host, "copies"), Path.Combine(root, "app-2"));
        RewindProcess? agent = null;
        try
        {
            var address = new Uri($"http://127.0.0.1:{api.ToString(CultureInfo.InvariantCulture)}/");
            var admin = ApiClient.For(address, await RewindProcess.InitAccessAsync(config), TimeSpan.FromSeconds(45)); // a record waits up to 30 s for a host's copy
            using var serve = RewindProcess.Start("serve", "--config", config);
            await Eventually.WaitAsync(async () => (await admin.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
            var token = await admin.CreateAgentTokenAsync(new CreateAgentTokenRequest("app-1", "app server"));
            agent = RewindProcess.Start(new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_AGENT_TOKEN"] = token.Token }, "agent", "--server", address.ToString(), "--journal", Path.Combine(host, "agent-journal"));
            await Eventually.WaitAsync(async () => (await admin.GetAgentsAsync()).Any(a => a is { Host: "app-1", Connected: true }), Deadline, "app-1's agent to poll");

            await admin.RecordReleaseAsync("shop-config", new RecordReleaseRequest("v1"));
            File.Exists(Path.Combine(host, "copies", "releases", "v1", "manifest.json")).ShouldBeTrue("app-1's agent kept v1's files on app-1 before the record answered");
            await Eventually.WaitAsync(async () => (await admin.GetReleasesAsync("shop-config")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
            await File.WriteAllTextAsync(env, "MODE=v2\n");
            await admin.RecordReleaseAsync("shop-config", new RecordReleaseRequest("v2"));
            var requested = await admin.RequestRollbackAsync(new RollbackRequest("shop-config", "v2's settings hurt"));
            var done = await Eventually.WaitAsync(async () => await admin.GetRollbackAsync(requested.Id) is { Status: "succeeded" or "failed" } r ? r : null, Deadline, "the rollback to finish");
            var refused = await Should.ThrowAsync<RewindApiException>(() => admin.RecordReleaseAsync("far-config", new RecordReleaseRequest("v1")));

            done.Status.ShouldBe("succeeded", $"{string.Join("\n", done.Steps.Select(s => $"{s.Status}: {s.Description}: {s.Output}"))}\nagent:\n{agent.Output}");
            done.Steps[0].Description.ShouldStartWith("on app-1 by its agent (unreachable after 5s): restore files [");
            done.Steps[0].Output.ShouldNotBeNull().ShouldStartWith("on app-1: ");
            (await File.ReadAllTextAsync(env)).ShouldBe("MODE=v1\n");
            Directory.GetDirectories(Path.Combine(host, "copies", "undo")).ShouldHaveSingleItem(); // v2's file kept on app-1
            refused.Status.ShouldBe(409);
            refused.Message.ShouldContain("app-2 unreachable: no agent of the host has ever polled; the step was not taken within 2s, so app-2 was not touched");
            (await admin.GetReleasesAsync("far-config")).ShouldBeEmpty();
        }
        finally
        {
            agent?.Dispose();
            Directory.Delete(root, recursive: true);
        }
    }

    private static Task WriteConfigAsync(string config, int api, string env, string copies, string farHost) =>
        File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            store: "sqlite:rewind.db"
            server: { listen: "http://127.0.0.1:{{api}}" }
            components:
              shop-config:
                host: app-1
                unreachable: { wait: 5s }
                provider: { files: { paths: [{{env}}], store: {{copies}} } }
                probes: { up: { tcp: { host: 127.0.0.1, port: {{api}} }, interval: 300ms, timeout: 250ms } }
                bake-time: 1s
              far-config:
                host: app-2
                unreachable: { wait: 2s }
                provider: { files: { paths: [{{farHost}}/shop.env], store: {{farHost}}/copies } }
                probes: { up: { tcp: { host: 127.0.0.1, port: {{api}} } } }
            """));
}
