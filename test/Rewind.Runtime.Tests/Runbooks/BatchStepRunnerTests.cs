using System.Collections.Concurrent;
using System.Text.Json;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Runbooks;

/// <summary>The batch step against the fake cloud-functions CLI, a real process with a real quota and real failures.</summary>
public sealed class BatchStepRunnerTests : IDisposable
{
    private static readonly string Fake = Path.Combine(Repository.Root, "samples", "fakes", "fake-functions");
    private readonly TempDirectory _state = new();
    private readonly MemoryLedger _ledger = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Run_MoreConcurrencyThanTheQuota_BacksOffAndRollsEveryMemberBackOnce()
    {
        await InitAsync(24);

        var outcome = await RunAsync(Step(concurrency: 6, batchSize: 12, env: Env(latencyMs: 150, quota: 3)));

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldStartWith("24 member(s): 24 succeeded, 0 failed, 0 not called;");
        outcome.Output.ShouldNotContain(" 0 quota back-off(s)"); // six callers on three slots: some were told to back off
        var audit = await AuditAsync();
        audit.GetProperty("versions").GetProperty("v1").GetInt32().ShouldBe(24);
        audit.GetProperty("doubleRollbacks").GetArrayLength().ShouldBe(0);
        _ledger.Members.Values.ShouldAllBe(m => m.Status == MemberStatus.Succeeded);
    }

    [Fact]
    public async Task Run_TransientFailures_AreRetriedUntilTheyPass()
    {
        await InitAsync(12);

        var outcome = await RunAsync(Step(retries: 8, env: Env(latencyMs: 20, failFraction: "0.4", seed: "7")));

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldNotContain(" 0 needed more than one attempt");
        _ledger.Members.Values.Where(m => m.Attempts > 1).ShouldNotBeEmpty();
        (await AuditAsync()).GetProperty("versions").GetProperty("v1").GetInt32().ShouldBe(12);
    }

    [Fact]
    public async Task Run_FailuresBeyondTheBudget_FailTheStep_ThenARerunCallsOnlyTheFailedMembers()
    {
        await InitAsync(6);
        var failing = await RunAsync(Step(retries: 1, env: Env(latencyMs: 10, failFraction: "1")));

        failing.Succeeded.ShouldBeFalse();
        failing.Output.ShouldStartWith("6 member(s): 0 succeeded, 6 failed, 0 not called; 6 needed more than one attempt");
        failing.Output.ShouldContain("fn-001: exit 1 in ");
        failing.Output.ShouldContain("ERROR: UNAVAILABLE: transient backend error, please retry");
        failing.Output.ShouldEndWith("; more than the budget of 0% failed");

        _ledger.Finish("fn-001", MemberStatus.Succeeded); // as if a first run had rolled this one back
        var calls = CallCount();
        var rerun = await RunAsync(Step(env: Env(latencyMs: 10)));

        rerun.Succeeded.ShouldBeTrue(rerun.Output);
        rerun.Output.ShouldStartWith("6 member(s): 6 succeeded (1 before this run), 0 failed, 0 not called;");
        (CallCount() - calls).ShouldBe(5); // fn-001 was not called again
    }

    [Fact]
    public async Task Run_BudgetSpentInAnEarlyBatch_StartsNoFurtherBatch_AndLeavesTheRestPending()
    {
        await InitAsync(12);
        var before = CallCount();

        var outcome = await RunAsync(Step(concurrency: 3, batchSize: 3, retries: 0, maxFailed: 0.2, env: Env(latencyMs: 10, failFraction: "1")));

        outcome.Succeeded.ShouldBeFalse();
        outcome.Output.ShouldStartWith("12 member(s): 0 succeeded, 3 failed, 9 not called;");
        outcome.Output.ShouldEndWith("; more than the budget of 20% failed; stopped after batch 1 of 4: the failure budget was spent, 9 member(s) not called (they stay pending: running the rollback again calls only them)");
        (CallCount() - before).ShouldBe(1 + 3); // the list, then the first batch only
        _ledger.Members.Values.Count(m => m.Status == MemberStatus.Pending).ShouldBe(9);
    }

    [Fact]
    public async Task Run_FailuresWithinTheBudget_SucceedAndSayWhichFailed()
    {
        await InitAsync(19);
        var step = Step(retries: 0, maxFailed: 0.1, env: Env(latencyMs: 10)) with
        {
            Members = new BatchMembers([.. Enumerable.Range(1, 19).Select(i => $"fn-{i:000}"), "fn-404"], null, null),
        };

        var outcome = await RunAsync(step);

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldStartWith("20 member(s): 19 succeeded, 1 failed, 0 not called;");
        outcome.Output.ShouldContain("fn-404: exit 2 in ");
        outcome.Output.ShouldContain("ERROR: NOT_FOUND: function fn-404");
        _ledger.Members["fn-404"].Status.ShouldBe(MemberStatus.Failed);
    }

    [Fact]
    public async Task Run_MemberListThatIsNotAList_CallsNothing()
    {
        await InitAsync(2);
        var badMembers = Step() with { Members = new BatchMembers(null, null, ["/bin/echo", "fn-001\n--all"]) };
        var noMembers = Step() with { Members = new BatchMembers(null, null, ["/bin/true"]) };

        var bad = await RunAsync(badMembers);
        var none = await new BatchStepRunner(new ProcessRunner(), TimeProvider.System).RunAsync(noMembers, new StepContext("RB-2", 0, new MemoryLedger(), _ => null));

        bad.ShouldBe(StepOutcome.Failure("the member list command's output, line 2: '--all' is not a member name (letters, digits and ._:@/+=-, not starting with '-'); nothing was called"));
        none.ShouldBe(StepOutcome.Failure("the member list command's output names no member: nothing to roll back, which is not success; check the list"));
        CallCount().ShouldBe(1); // init, nothing else
    }

    [Fact]
    public async Task Run_MissingSecret_CallsNothingAndNamesTheVariable()
    {
        await InitAsync(2);
        var step = Step(env: new Dictionary<string, string>(Env(latencyMs: 10), StringComparer.Ordinal) { ["FAKE_TOKEN"] = "{{secret.REWIND_TEST_NOT_SET}}" });

        var outcome = await RunAsync(step);

        outcome.ShouldBe(StepOutcome.Failure("secret REWIND_TEST_NOT_SET: the environment variable is not set; nothing was called"));
        CallCount().ShouldBe(1); // init only: not even the member list ran
    }

    [Fact]
    public async Task Run_MembersPrintingTheirSecret_LedgerAndOutcomeShowOnlyItsName()
    {
        var step = Step(retries: 0, maxFailed: 1) with
        {
            Members = new BatchMembers(["fn-001", "fn-002"], null, null),
            Argv = ["/bin/sh", "-c", "echo \"$0 has $KEY\"; exit 1", "{{member}}"],
            Env = new Dictionary<string, string>(StringComparer.Ordinal) { ["KEY"] = "{{secret.BATCH_KEY}}" },
        };

        var outcome = await new BatchStepRunner(new ProcessRunner(), TimeProvider.System).RunAsync(step, new StepContext("RB-3", 1, _ledger, name => name == "BATCH_KEY" ? "b4tch-s3cret" : null));

        outcome.Output.ShouldContain("fn-001: exit 1 in ");
        outcome.Output.ShouldContain("fn-002 has [secret BATCH_KEY]");
        outcome.Output.ShouldNotContain("b4tch-s3cret");
        _ledger.Members.Values.Select(m => m.Output).ShouldAllBe(output => output!.EndsWith(" has [secret BATCH_KEY]", StringComparison.Ordinal));
    }

    private async Task<StepOutcome> RunAsync(BatchStep step) =>
        await new BatchStepRunner(new ProcessRunner(), TimeProvider.System).RunAsync(step, new StepContext("RB-1", 1, _ledger, _ => null));

    private BatchStep Step(int concurrency = 4, int batchSize = 50, int retries = 3, double maxFailed = 0, IReadOnlyDictionary<string, string>? env = null) => new(
        new BatchMembers(null, null, [Fake, "--state", _state.Path, "list"]),
        [Fake, "--state", _state.Path, "rollback", "{{member}}", "--to", "v1"],
        env ?? Env(latencyMs: 10),
        _state.Path,
        batchSize,
        concurrency,
        TimeSpan.Zero,
        null,
        retries,
        TimeSpan.FromMilliseconds(20),
        ["RESOURCE_EXHAUSTED"],
        maxFailed,
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(2),
        [0]);

    private static Dictionary<string, string> Env(int latencyMs, int quota = 10, string failFraction = "0", string? seed = null)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FAKE_FUNCTIONS_LATENCY_MS"] = latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FAKE_FUNCTIONS_QUOTA"] = quota.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FAKE_FUNCTIONS_FAIL_FRACTION"] = failFraction,
        };
        if (seed is not null)
        {
            env["FAKE_FUNCTIONS_SEED"] = seed;
        }

        return env;
    }

    private async Task InitAsync(int count)
    {
        var result = await new ProcessRunner().RunAsync(new ProcessRequest([Fake, "--state", _state.Path, "init", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--version", "v2"], null, TimeSpan.FromSeconds(30)));
        result.Succeeded.ShouldBeTrue(result.Output);
    }

    private async Task<JsonElement> AuditAsync()
    {
        var result = await new ProcessRunner().RunAsync(new ProcessRequest([Fake, "--state", _state.Path, "audit"], null, TimeSpan.FromSeconds(30)));
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    private int CallCount() => File.ReadAllLines(Path.Combine(_state.Path, "calls.log")).Length;

    /// <summary>The member ledger in memory; the store's own is tested in the storage contract.</summary>
    private sealed class MemoryLedger : IMemberLedger
    {
        public ConcurrentDictionary<string, MemberResult> Members { get; } = new(StringComparer.Ordinal);

        private readonly List<string> _order = [];

        public void Finish(string member, MemberStatus status) => Members[member] = Members[member] with { Status = status };

        public Task<IReadOnlyList<MemberResult>> GetMembersAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default)
        {
            lock (_order)
            {
                return Task.FromResult<IReadOnlyList<MemberResult>>([.. _order.Select(m => Members[m])]);
            }
        }

        public Task AddMembersAsync(string rollbackId, int stepIndex, IReadOnlyList<string> members, CancellationToken cancellationToken = default)
        {
            lock (_order)
            {
                foreach (var member in members.Where(m => Members.TryAdd(m, new MemberResult(m, MemberStatus.Pending, 0, null, null, null))))
                {
                    _order.Add(member);
                }
            }

            return Task.CompletedTask;
        }

        public Task MarkMemberStartedAsync(string rollbackId, int stepIndex, string member, DateTimeOffset at, CancellationToken cancellationToken = default)
        {
            Members.AddOrUpdate(member, _ => throw new InvalidOperationException(member), (_, m) => m with { Status = MemberStatus.Running, Attempts = m.Attempts + 1, StartedAt = at });
            return Task.CompletedTask;
        }

        public Task MarkMemberFinishedAsync(string rollbackId, int stepIndex, string member, MemberStatus status, DateTimeOffset at, string? output, CancellationToken cancellationToken = default)
        {
            Members.AddOrUpdate(member, _ => throw new InvalidOperationException(member), (_, m) => m with { Status = status, FinishedAt = at, Output = output });
            return Task.CompletedTask;
        }

        public Task<IReadOnlyDictionary<int, MemberCounts>> GetMemberCountsAsync(string rollbackId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the runner does not read counts");
    }
}
