using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A component on a host: the controller (<c>rewind serve</c>) and the host's agent (<c>rewind agent</c>) are separate
/// processes, the host is its own directory; the controller never touches it. A rollback's switch, restart and host
/// commands are run by the agent; a host without an agent is unreachable, not failed; an abort stops the agent's step.
/// </summary>
public sealed class AgentTests
{
    private static readonly TimeSpan Deadline = AgentHostSetup.Deadline;

    [Fact]
    public async Task Rollback_OfAComponentOnAHost_IsRunThereByItsAgent()
    {
        await using var host = await AgentHostSetup.StartAsync();
        using var agent = host.StartAgent();

        var rollback = await host.DeployBadReleaseAsync();

        rollback.Status.ShouldBe("succeeded", host.Logs(agent));
        rollback.Steps.Select(s => s.Kind).ShouldBe(["on-host", "on-host", "wait-healthy"]);
        rollback.Steps[0].Output.ShouldStartWith("on app-1: switched");
        rollback.Steps[1].Output.ShouldStartWith("on app-1: ");
        host.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        var agents = await host.Client.GetAgentsAsync();
        agents.ShouldHaveSingleItem().Host.ShouldBe("app-1");
        agents[0].Connected.ShouldBeTrue();
        agent.Output.ShouldContain($"{rollback.Id}.1.app-1."); // the attempt of step 1 on app-1
        agent.Output.ShouldContain(": succeeded: switched");
    }

    [Fact]
    public async Task Rollback_HostWithoutAnAgent_IsUnreachable_AndTheHostIsNotTouched()
    {
        await using var host = await AgentHostSetup.StartAsync(unreachableWait: "1s");

        var rollback = await host.DeployBadReleaseAsync();

        rollback.Status.ShouldBe("failed");
        rollback.Steps[0].Status.ShouldBe("failed");
        rollback.Steps[0].Output.ShouldBe("app-1 unreachable: no agent of the host has ever polled; the step was not taken within 1s, so app-1 was not touched");
        host.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v2"));
    }

    [Fact]
    public async Task Abort_WhileTheAgentRunsAStep_StopsItOnTheHost()
    {
        await using var host = await AgentHostSetup.StartAsync(hostCommand: "sleep 120");
        using var agent = host.StartAgent();
        var running = await host.DeployBadReleaseAsync(waitForEnd: false);
        await Eventually.WaitAsync(() => Task.FromResult(host.HostCommandRuns == 1), Deadline, "the host command to start on the agent");

        await host.Client.AbortRollbackAsync(running.Id, "the host command hangs");

        await Eventually.WaitAsync(() => Task.FromResult(agent.Output.Contains("while the step ran here: stopping it", StringComparison.Ordinal)), Deadline, "the agent to stop the step");
        await Eventually.WaitAsync(() => Task.FromResult(!host.HostCommandAlive), Deadline, "the host command's process to be ended");
        await Eventually.WaitAsync(() => Task.FromResult(agent.Output.Contains(": failed: stopped", StringComparison.Ordinal)), Deadline, "the agent to report the stopped step");
        (await host.FinishedRollbackAsync()).Status.ShouldBe("cancelled");
    }
}
