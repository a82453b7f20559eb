using Rewind.Client;
using Rewind.Core.Signals.Metrics;
using Rewind.Server.Tests.Notifications;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Agents;

/// <summary>The hosts' agents as the health answer and <c>/metrics</c> show them, on a real controller.</summary>
public sealed class AgentLivenessTests
{
    [Fact]
    public async Task Poll_WithAnAgentToken_AgentInHealthAndMetrics()
    {
        await using var server = await ServerFixture.StartAsync(componentExtra: "host: app-2");
        var token = await server.Client.CreateAgentTokenAsync(new CreateAgentTokenRequest("app-1", "liveness test"));
        using var agentHttp = server.HttpAs(token.Token);

        await new RewindClient(agentHttp).PollAgentWorkAsync(new AgentPollRequest("i-1", "9.9.9", TimeProvider.System.GetUtcNow(), WaitSeconds: 0));
        var health = await server.Client.GetHealthAsync();
        using var response = await server.Http.GetAsync(new Uri("metrics", UriKind.Relative));
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        health.Agents.ShouldNotBeNull();
        health.Agents.Select(a => a.Host).ShouldBe(["app-1", "app-2"]);
        var polled = health.Agents[0];
        polled.Connected.ShouldBeTrue();
        polled.Version.ShouldBe("9.9.9");
        polled.LastContact.ShouldNotBeNull();
        health.Agents[1].ShouldBe(new AgentHealthDto("app-2", false, null, null), "named in the config, never polled");
        metrics.Errors.ShouldBeEmpty();
        metrics.Sum("rewind_agent_connected", s => s.Label("host") == "app-1").ShouldBe(1);
        metrics.Sum("rewind_agent_connected", s => s.Label("host") == "app-2").ShouldBe(0);
        metrics.Samples.ShouldContain(s => s.Name == "rewind_agent_connected" && s.Label("host") == "app-2");
        metrics.Samples.ShouldContain(s => s.Name == "rewind_agent_last_contact_seconds" && s.Label("host") == "app-1" && s.Value >= 0 && s.Value < 60);
        metrics.Samples.ShouldNotContain(s => s.Name == "rewind_agent_last_contact_seconds" && s.Label("host") == "app-2");
    }

    [Fact]
    public async Task NamedHostWithoutAgent_PagedOnceByWebhook_ThenNotedWhenItPolls()
    {
        var secretEnv = $"REWIND_TEST_HOOK_SECRET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(secretEnv, "agent-test");
        await using var receiver = await WebhookReceiver.UpAsync("agent-test");
        await using var server = await ServerFixture.StartAsync(
            componentExtra: "host: app-2",
            extra: $"notifications: {{ channels: {{ hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }}, events: [controller-fault, controller-recovered] }} }} }}");

        // After the agents' chance to poll a controller that just started (20 s), a watch tick and a delivery tick.
        var page = await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.FirstOrDefault(d => d.Event == "controller-fault")), TimeSpan.FromSeconds(60), "the page that no agent of app-2 polled");
        page.Body.GetProperty("fault").GetProperty("kind").GetString().ShouldBe("agent-not-polled");
        page.Body.GetProperty("fault").GetProperty("message").GetString()!.ShouldStartWith("no agent of app-2 has polled yet");
        var token = await server.Client.CreateAgentTokenAsync(new CreateAgentTokenRequest("app-2", "liveness test"));
        using var agentHttp = server.HttpAs(token.Token);
        await new RewindClient(agentHttp).PollAgentWorkAsync(new AgentPollRequest("i-1", "9.9.9", TimeProvider.System.GetUtcNow(), WaitSeconds: 0));

        var back = await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.FirstOrDefault(d => d.Event == "controller-recovered")), TimeSpan.FromSeconds(30), "the note that it polls");
        back.Body.GetProperty("fault").GetProperty("message").GetString()!.ShouldStartWith("agent of app-2 polls now");
        receiver.Deliveries.Count(d => d.Event == "controller-fault").ShouldBe(1);
    }
}
