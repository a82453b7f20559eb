using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Cli.Tests;

/// <summary>
/// A rollback under an approval rule, through the real CLI against a real controller: the dry run names the rule, the
/// request waits and says who must approve and how, each decision is told, and the command ends by the outcome.
/// </summary>
public sealed class ApprovalFlowTests
{
    private const string Rule = """
        approvals:
          - when: { components: [web] }
            all-of: [approver, tech-lead]
            decide-within: DECIDE
        """;

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Rollback_UnderARule_WaitsTellsEachApprovalThenFollowsToTheEnd_AndADenialExits1()
    {
        await using var server = await LiveServer.StartAsync(Rule.Replace("DECIDE", "10m", StringComparison.Ordinal));
        var (client, bob, carol) = await PrepareAsync(server);

        var dryRun = await CliRun.RunAsync("rollback", "web", "--dry-run", "--server", server.Url);
        var following = CliRun.Start("rollback", "web", "--yes", "--reason", "checkout errors", "--server", server.Url);
        var waiting = await AwaitingAsync(client);
        await SaysAsync(following.SoFar, "decide by ");
        var second = await CliRun.RunAsync("rollback", "web", "--yes", "--server", server.Url);
        var first = await CliRun.RunAsync(bob, "approve", waiting.Id, "--server", server.Url);
        await SaysAsync(following.SoFar, "approved by bob");
        var last = await CliRun.RunAsync(carol, "approve", waiting.Id, "--server", server.Url);
        var followed = await following.Run.WaitAsync(Limit);

        (await client.RecordReleaseAsync("web", new RecordReleaseRequest("v3"))).State.ShouldNotBeNull();
        var denied = CliRun.Start("rollback", "web", "--yes", "--server", server.Url);
        var deniedId = (await AwaitingAsync(client)).Id;
        await SaysAsync(denied.SoFar, "decide by ");
        var deny = await CliRun.RunAsync(bob, "deny", deniedId, "--note", "fix forward instead", "--server", server.Url);
        var refused = await denied.Run.WaitAsync(Limit);

        dryRun.ExitCode.ShouldBe(0, dryRun.Error);
        (second.ExitCode, first.ExitCode, last.ExitCode, followed.ExitCode).ShouldBe((1, 0, 0, 0), followed.Output + followed.Error);
        (deny.ExitCode, refused.ExitCode).ShouldBe((0, 1), refused.Output + refused.Error);
        var project = Repository.TestProject("Rewind.Cli.Tests");
        Approved.Verify("approval-dry-run", MessageTests.Stable(server, dryRun.Output), project);
        Approved.Verify("approval-second-request", MessageTests.Stable(server, second.Error), project);
        Approved.Verify("approval-approve", MessageTests.Stable(server, first.Output + last.Output), project);
        var told = MessageTests.Stable(server, followed.Output);
        var decided = told.IndexOf("  approved by carol (tech-lead) at <time>\n", StringComparison.Ordinal);
        Approved.Verify("approval-followed", told[..decided], project); // then as the polls fell: whether it was seen pending, the steps' timings
        told[decided..].ShouldStartWith("  approved by carol (tech-lead) at <time>\n");
        told.ShouldContain("\n  step 1 switch: succeeded - switched current from v2 to v1\n");
        told.ShouldEndWith("\nRB-<id> succeeded: web is on v1 and healthy\n");
        Approved.Verify("approval-denied", MessageTests.Stable(server, deny.Output + refused.Output), project);
    }

    [Fact]
    public async Task Rollback_NobodyDecidesInTime_SaysItStillWaitsAndExits1()
    {
        await using var server = await LiveServer.StartAsync(Rule.Replace("DECIDE", "2s", StringComparison.Ordinal));
        var (client, _, _) = await PrepareAsync(server);

        var run = await CliRun.RunAsync("rollback", "web", "--yes", "--server", server.Url).WaitAsync(Limit);

        run.ExitCode.ShouldBe(1, run.Output + run.Error);
        run.Output.ShouldContain("awaits approval");
        run.Error.ShouldMatch(@"^error: nobody decided on RB-\d{4}-\d{2}-\d{2}-0001 by .*: the incident is escalated and the rollback still waits, untouched; ");
        (await client.GetRollbacksAsync()).ShouldHaveSingleItem().Status.ShouldBe("awaiting");
    }

    /// <summary>v1 baked into the last known good, v2 recorded; users bob (approver) and carol (tech-lead) with their tokens.</summary>
    private static async Task<(RewindClient Client, Dictionary<string, string> Bob, Dictionary<string, string> Carol)> PrepareAsync(LiveServer server)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CliRun.Tokens[server.Url]);
        var client = new RewindClient(http);
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }) ? (object)true : null, Limit, "v1 to bake");
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
        await client.CreateUserAsync(new CreateUserRequest("bob", ["approver"]));
        await client.CreateUserAsync(new CreateUserRequest("carol", ["tech-lead"]));
        var bob = (await client.CreateTokenAsync("bob", new CreateTokenRequest())).Token;
        var carol = (await client.CreateTokenAsync("carol", new CreateTokenRequest())).Token;
        return (client, MessageTests.Environment("REWIND_TOKEN", bob), MessageTests.Environment("REWIND_TOKEN", carol));
    }

    /// <summary>Waits until a run still going has printed <paramref name="text"/>: the next decision comes after what it has told.</summary>
    private static Task SaysAsync(Func<string> soFar, string text) =>
        Eventually.WaitAsync(() => Task.FromResult(soFar().Contains(text, StringComparison.Ordinal)), Limit, $"the CLI to print '{text}'");

    private static Task<RollbackDto> AwaitingAsync(RewindClient client) =>
        Eventually.WaitAsync(async () => (await client.GetRollbacksAsync()).FirstOrDefault(r => r.Status == "awaiting"), Limit, "a rollback awaiting approval");
}
