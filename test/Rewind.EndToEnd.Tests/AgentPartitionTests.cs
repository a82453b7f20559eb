using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A host cut off from its controller: a partition made by cutting the agent's connection, and a break-glass rollback
/// on the host while no controller answers.
/// </summary>
public sealed class AgentPartitionTests
{
    private static readonly TimeSpan Deadline = AgentHostSetup.Deadline;

    [Fact]
    public async Task Rollback_AgentCutOffMidStep_IsUnreachable_AndItsLateReportIsKeptWhenHealed()
    {
        await using var host = await AgentHostSetup.StartAsync(unreachableWait: "2s", hostCommand: "sleep 10");
        await using var cut = new LoopbackCut(host.ApiPort);
        using var agent = host.StartAgent(cut.Url);
        await host.DeployBadReleaseAsync(waitForEnd: false);
        await Eventually.WaitAsync(() => Task.FromResult(host.HostCommandRuns == 1), Deadline, "the host command to start on the agent");

        cut.Cut();
        var rollback = await host.FinishedRollbackAsync();
        rollback.Status.ShouldBe("failed", host.Logs(agent));
        rollback.Steps[2].Output.ShouldStartWith("app-1 unreachable: its agent was last heard from at ");
        rollback.Steps[2].Output.ShouldNotBeNull().ShouldContain("whether it acted on app-1 is unknown, a person must look");
        cut.Heal();

        IncidentDto? incident = null;
        try
        {
            incident = await Eventually.WaitAsync(
                async () => await host.Client.GetIncidentAsync(rollback.IncidentId!) is { } i && i.Timeline.Any(e => e.Message.Contains("reported after the step was given up as unreachable: succeeded", StringComparison.Ordinal)) ? i : null,
                Deadline,
                "the agent's late report once the partition healed");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{host.Logs(agent)}", ex);
        }

        incident.Timeline.ShouldContain(e => e.Kind == "escalation" && e.Actor == "agent:app-1");
        host.HostCommandRuns.ShouldBe(1);
        await Eventually.WaitAsync(async () => (await host.Client.GetAgentsAsync()).ShouldHaveSingleItem().Connected, Deadline, "the agent to be seen connected again (its next poll after the heal)");
    }

    [Fact]
    public async Task BreakGlass_WithNoController_RollsTheHostBackToTheCachedKnownGood_AndIsReportedWhenTheControllerIsBack()
    {
        await using var host = await AgentHostSetup.StartAsync(v2Fault: "none");
        using var agent = host.StartAgent();
        await host.DeployHealthyReleaseAsync();
        await Eventually.WaitAsync(() => Task.FromResult(host.KnownGood.Contains("\"toVersion\":\"v1\"", StringComparison.Ordinal) && host.KnownGood.Contains("\"fromVersion\":\"v2\"", StringComparison.Ordinal)), Deadline, "the agent to keep v1 as the last known good");
        host.StopController();

        using var refused = host.BreakGlass("web");
        (await refused.WaitForExitAsync(Deadline)).ShouldBe(2, refused.Output); // says what it would do, changes nothing
        using var glass = host.BreakGlass("web", "--yes");
        (await glass.WaitForExitAsync(Deadline)).ShouldBe(0, glass.Output);
        host.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        refused.Output.ShouldContain("web on app-1: v2 -> v1");
        refused.Output.ShouldContain("nothing was changed: add --yes to run it");

        host.StartController();
        var entry = await Eventually.WaitAsync(
            async () => (await Task.WhenAll((await host.Client.GetIncidentsAsync()).Select(i => host.Client.GetIncidentAsync(i.Id)))).SelectMany(i => i.Timeline).FirstOrDefault(e => e.Message.StartsWith("break-glass rollback on app-1 by ", StringComparison.Ordinal)),
            Deadline,
            "the agent to report the break glass to the controller that is back");
        entry.Message.ShouldContain("web v2 -> v1 succeeded: switched");
        entry.Kind.ShouldBe("escalation");
    }
}
