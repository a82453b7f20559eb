using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// An agent or a controller SIGKILLed while the agent runs a step: the step is never run twice on the host.
/// </summary>
public sealed class AgentCrashTests
{
    private static readonly TimeSpan Deadline = AgentHostSetup.Deadline;

    [Fact]
    public async Task Rollback_AgentKilledMidStep_IsReportedUnknownAfterItsRestart_AndNotRunAgain()
    {
        await using var host = await AgentHostSetup.StartAsync(hostCommand: "sleep 60");
        using (var first = host.StartAgent())
        {
            await host.DeployBadReleaseAsync(waitForEnd: false);
            await Eventually.WaitAsync(() => Task.FromResult(host.HostCommandRuns == 1), Deadline, "the host command to start on the agent");
            first.KillHard();
        }

        using var second = host.StartAgent();
        var rollback = await host.FinishedRollbackAsync();

        rollback.Status.ShouldBe("failed", host.Logs(second));
        rollback.Steps[2].Output.ShouldStartWith("on app-1, state unknown: the agent stopped while it ran this step (started at ");
        rollback.Error.ShouldNotBeNull().ShouldContain("a person must look");
        host.HostCommandRuns.ShouldBe(1);
    }

    [Fact]
    public async Task Rollback_ControllerKilledWhileTheAgentRunsAStep_ResumesWithTheSameAttempt()
    {
        await using var host = await AgentHostSetup.StartAsync(hostCommand: "sleep 2");
        using var agent = host.StartAgent();
        await host.DeployBadReleaseAsync(waitForEnd: false);
        await Eventually.WaitAsync(() => Task.FromResult(host.HostCommandRuns == 1), Deadline, "the host command to start on the agent");

        host.RestartController();
        var rollback = await host.FinishedRollbackAsync();

        rollback.Status.ShouldBe("succeeded", host.Logs(agent));
        rollback.Steps[2].Output.ShouldStartWith("on app-1: ");
        rollback.Steps[2].Attempts.ShouldBe(2); // the executor started it twice: before and after the kill
        host.HostCommandRuns.ShouldBe(1); // the host ran it once
    }
}
