using System.Globalization;
using System.Text.Json;
using Rewind.Client;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Samples;
using Rewind.Storage;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// The member ledger, checked the hard way: SIGKILL the controller in the middle of a batch step; a new controller
/// calls only the members not recorded as succeeded, so no function is rolled back twice and none is forgotten.
/// </summary>
public sealed class BatchKillAndResumeTests : IDisposable
{
    private const int Functions = 40;
    private const int Concurrency = 4;
    private const int BatchStepIndex = 0;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("rewind-e2e-batch-").FullName;
    private readonly int _apiPort = SampleRelease.FreeLoopbackPort();

    private string ConfigPath => Path.Combine(_root, "rewind.yaml");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Rollback_ControllerKilledMidBatch_ResumesWithoutRollingAnyMemberBackTwice(string store)
    {
        await using var database = store == "postgres" ? await PostgresDatabase.CreateAsync() : null;
        var location = database?.Url ?? "sqlite:" + Path.Combine(_root, "rewind.db");
        var fleet = new FakeFunctions(Path.Combine(_root, "fleet"));
        await fleet.InitAsync(Functions, "v2");
        WriteConfig(location, fleet);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await RewindProcess.InitAccessAsync(ConfigPath));
        var client = new RewindClient(http);
        var ledger = StoreFactory.Open(location);
        await using var closesLedger = (IAsyncDisposable)ledger;
        var (rollbackId, atKill) = await RunUntilKilledMidBatchAsync(client, ledger);

        atKill.Count.ShouldBe(Functions);
        atKill.Count(m => m.Status == MemberStatus.Succeeded).ShouldBeLessThan(Functions, "the batch finished before the kill: nothing was resumed");
        await fleet.WaitUntilNoCallRunsAsync(Deadline);

        using var second = RewindProcess.Start("serve", "--config", ConfigPath);
        var finished = await Eventually.WaitAsync(
            async () => await client.GetRollbackAsync(rollbackId) is { Status: "succeeded" or "failed" } r ? r : null,
            Deadline,
            "the resumed rollback to finish");

        finished.Status.ShouldBe("succeeded", second.Output);
        finished.Steps.Select(s => (s.Kind, s.Attempts)).ShouldBe([("batch", 2), ("wait-healthy", 1)]);
        await ShouldHaveRolledEveryMemberBackOnceAsync(fleet, await ledger.GetMembersAsync(rollbackId, BatchStepIndex), atKill);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a process that is still exiting may hold a file; the temp directory is cleaned by the OS later
        }
    }

    /// <summary>Starts a controller, has it roll the functions back, and SIGKILLs it once some members succeeded.</summary>
    private async Task<(string RollbackId, IReadOnlyList<MemberResult> AtKill)> RunUntilKilledMidBatchAsync(RewindClient client, IMemberLedger ledger)
    {
        using var first = RewindProcess.Start("serve", "--config", ConfigPath);
        await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the first controller to answer");
        await client.RecordReleaseAsync("functions", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await client.GetReleasesAsync("functions")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
        await client.RecordReleaseAsync("functions", new RecordReleaseRequest("v2"));

        var rollbackId = (await client.RequestRollbackAsync(new RollbackRequest("functions", "functions v2 is broken"))).Id;
        await Eventually.WaitAsync(
            async () => (await ledger.GetMembersAsync(rollbackId, BatchStepIndex)).Count(m => m.Status == MemberStatus.Succeeded) >= Concurrency,
            Deadline,
            "the batch to have rolled back some members");
        first.KillHard();
        first.HasExited.ShouldBeTrue();
        return (rollbackId, await ledger.GetMembersAsync(rollbackId, BatchStepIndex));
    }

    /// <summary>
    /// Every function is on v1 after exactly one rollback that changed it; no member recorded as succeeded was called
    /// again; only members in flight at the kill were called twice, and their second call found them already rolled back.
    /// </summary>
    private static async Task ShouldHaveRolledEveryMemberBackOnceAsync(FakeFunctions fleet, IReadOnlyList<MemberResult> members, IReadOnlyList<MemberResult> atKill)
    {
        var audit = await fleet.AuditAsync();
        audit.GetProperty("versions").EnumerateObject().Select(v => (v.Name, v.Value.GetInt32())).ShouldBe([("v1", Functions)], audit.ToString());
        audit.GetProperty("rollbacks").GetInt32().ShouldBe(Functions);
        audit.GetProperty("doubleRollbacks").GetArrayLength().ShouldBe(0, audit.ToString());

        members.Select(m => m.Member).ShouldBe(Enumerable.Range(1, Functions).Select(i => string.Create(CultureInfo.InvariantCulture, $"fn-{i:000}")));
        members.ShouldAllBe(m => m.Status == MemberStatus.Succeeded);

        var calls = fleet.RollbackCalls();
        var succeededBeforeKill = atKill.Where(m => m.Status == MemberStatus.Succeeded).Select(m => m.Member).ToList();
        succeededBeforeKill.ShouldAllBe(m => calls[m] == 1, "a member recorded as succeeded was called again");
        var calledTwice = calls.Where(c => c.Value > 1).Select(c => c.Key).ToList();
        calls.Values.ShouldAllBe(n => n <= 2);
        calledTwice.Count.ShouldBeLessThanOrEqualTo(Concurrency);
        members.Where(m => calledTwice.Contains(m.Member)).ShouldAllBe(m => m.Attempts == 2 && m.Output!.Contains(m.Member + " already at v1", StringComparison.Ordinal));
    }

    private void WriteConfig(string store, FakeFunctions fleet)
    {
        var fake = JsonSerializer.Serialize(FakeFunctions.Executable);
        var state = JsonSerializer.Serialize(fleet.StateDirectory);
        File.WriteAllText(ConfigPath, string.Create(CultureInfo.InvariantCulture, $$$"""
            store: {{{JsonSerializer.Serialize(store)}}}
            server:
              listen: http://127.0.0.1:{{{_apiPort}}}
            components:
              functions:
                provider:
                  command: { switch: [/bin/true] }
                plan:
                  - batch:
                      members: { command: [{{{fake}}}, --state, {{{state}}}, list] }
                      argv: [{{{fake}}}, --state, {{{state}}}, rollback, "{{member}}", --to, "{{target.version}}"]
                      env: { FAKE_FUNCTIONS_LATENCY_MS: "300", FAKE_FUNCTIONS_QUOTA: "10" }
                      concurrency: {{{Concurrency}}}
                  - wait-healthy: {}
                probes:
                  alive:
                    command: { argv: [/bin/true] }
                    interval: 300ms
                    timeout: 250ms
                bake-time: 1s
                healthy-successes: 2
                healthy-timeout: 30s

            """));
    }
}
