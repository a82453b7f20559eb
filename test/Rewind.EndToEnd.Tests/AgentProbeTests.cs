using System.Text.Json;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A probe that must run inside the host (<c>host: app-1</c> on the probe): the host's agent (<c>rewind agent</c>, its own
/// process) runs it and sends its samples; the controller (<c>rewind serve</c>) shows them, and shows the probe as not
/// measured once the agent falls silent.
/// </summary>
public sealed class AgentProbeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task HostProbe_RunByTheAgentInsideItsHost_IsSeenByTheController_AndNotMeasuredWhenTheAgentStops()
    {
        var hostFiles = Directory.CreateTempSubdirectory("rewind-host-files-").FullName;
        try
        {
            var envFile = Path.Combine(hostFiles, "shop.env");
            await File.WriteAllTextAsync(envFile, "SHOP_MODE=live\n");
            var probe = $"      env:\n        command: {{ argv: [test, -r, {JsonSerializer.Serialize(envFile)}] }}\n        host: app-1\n        interval: 300ms\n        timeout: 250ms\n";
            await using var host = await AgentHostSetup.StartAsync(probes: probe);
            using var agent = host.StartAgent();

            await WaitForEnvAsync(host, agent, "healthy", "the agent's passing samples of the probe");
            agent.Output.ShouldContain("probes: this host runs web/env every 300ms");

            File.Delete(envFile);
            var failing = await WaitForEnvAsync(host, agent, "failing", "the probe to fail on the host once its file is gone");
            failing.Error.ShouldNotBeNull().ShouldContain("exit 1");

            agent.KillHard();
            var silent = await WaitForEnvAsync(host, agent, "not measured", "the probe to be not measured once the agent is silent");
            silent.Error.ShouldNotBeNull("the newest sample, failed, stays shown").ShouldContain("exit 1");
            (await host.Client.GetComponentAsync("web")).Probes.Single(p => p.Name == "health").Health.ShouldBe("healthy", "the controller's own probe of the service goes on");
        }
        finally
        {
            Directory.Delete(hostFiles, recursive: true);
        }
    }

    private static async Task<Client.ProbeHealthDto> WaitForEnvAsync(AgentHostSetup host, RewindProcess agent, string health, string what)
    {
        try
        {
            return await Eventually.WaitAsync(async () => (await host.Client.GetComponentAsync("web")).Probes.Single(p => p.Name == "env") is var env && env.Health == health ? env : null, Deadline, what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{host.Logs(agent)}", ex);
        }
    }
}
