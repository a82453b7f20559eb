using System.Net;
using System.Net.Http.Json;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Agents;

/// <summary>
/// A probe that runs inside a host (<c>host: app-1</c>), on a real controller: the controller hands it to the host's
/// agent and never runs it itself; the samples the agent token posts are stored and decide as the controller's own do.
/// </summary>
public sealed class HostProbeEndpointTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // argv [false]: if the controller ran it, every sample of it would fail
    private const string EnvProbe = "env: { command: { argv: [\"false\"] }, host: app-1, interval: 200ms, timeout: 200ms }";
    private const string EnvPolicy = "{ env-missing: { when: { probe: env, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: notify } }";

    [Fact]
    public async Task Samples_PostedByTheHostsAgent_AreStoredShownAndDecide()
    {
        await using var server = await ServerFixture.StartAsync(probesExtra: EnvProbe, policies: EnvPolicy);
        var token = await server.Client.CreateAgentTokenAsync(new CreateAgentTokenRequest("app-1", "host probe test"));
        using var agentHttp = server.HttpAs(token.Token);
        var agent = new RewindClient(agentHttp);

        var probes = await agent.GetAgentProbesAsync();
        var env = probes.Probes.ShouldHaveSingleItem();
        (env.Component, env.Probe, env.IntervalSeconds, env.TimeoutSeconds).ShouldBe(("web", "env", 0.2, 0.2));
        env.Config.GetProperty("command").GetProperty("argv")[0].GetString().ShouldBe("false");
        var healthy = await Eventually.WaitAsync(
            async () =>
            {
                (await agent.PostAgentSamplesAsync(new AgentSamplesRequest([new AgentSampleDto("web", "env", TimeProvider.System.GetUtcNow(), true, 2)]))).Stored.ShouldBe(1);
                return (await server.Client.GetComponentAsync("web")).Probes.Single(p => p.Name == "env") is { Health: "healthy" } p ? p : null;
            },
            Deadline,
            "the agent's passing samples to be shown");
        healthy.LatencyMs.ShouldBe(2);

        var incident = await Eventually.WaitAsync(
            async () =>
            {
                await agent.PostAgentSamplesAsync(new AgentSamplesRequest([new AgentSampleDto("web", "env", TimeProvider.System.GetUtcNow(), false, 3, "exit 1, expected 0")]));
                return (await server.Client.GetComponentAsync("web")).OpenIncident;
            },
            Deadline,
            "the failing host probe to open the policy's incident");

        incident.ShouldNotBeNull();
        (await server.Client.GetComponentAsync("web")).Probes.Single(p => p.Name == "env").Health.ShouldBe("failing");
        var stored = await server.Store.GetRecentSamplesAsync("web", "env", 1000);
        stored.Where(s => !s.Success).ShouldAllBe(s => s.Error == "exit 1, expected 0", "the controller never ran the probe (its argv always fails): only the agent's samples are stored");
    }

    [Fact]
    public async Task Samples_OfAProbeNotOnTheTokensHost_AreRefusedWithAProblem_AndNothingIsStored()
    {
        await using var server = await ServerFixture.StartAsync(probesExtra: EnvProbe);
        var token = await server.Client.CreateAgentTokenAsync(new CreateAgentTokenRequest("app-2", "host probe test"));
        using var agentHttp = server.HttpAs(token.Token);

        using var response = await agentHttp.PostAsJsonAsync("api/v1/agent/samples", new AgentSamplesRequest([new AgentSampleDto("web", "env", TimeProvider.System.GetUtcNow(), true, 2)]), RewindJson.Options);
        var probes = await new RewindClient(agentHttp).GetAgentProbesAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("not this host's probe");
        problem.GetProperty("detail").GetString().ShouldBe("web/env is not a probe run on app-2; the host runs none; nothing of this batch was stored");
        probes.Probes.ShouldBeEmpty();
        (await server.Store.GetRecentSamplesAsync("web", "env", 10)).ShouldBeEmpty();
    }
}
