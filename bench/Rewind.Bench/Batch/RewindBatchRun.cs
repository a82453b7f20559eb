using System.Diagnostics;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Runbooks;
using Rewind.Storage;

namespace Rewind.Bench.Batch;

/// <summary>
/// Rewind's batch step over the fleet, as the executor runs it: <see cref="BatchStepRunner"/> with the member ledger of
/// a real SQLite store (members stored once, each call written ahead), inside a rollback created in that store.
/// </summary>
internal static class RewindBatchRun
{
    public static async Task<RunResult> RunAsync(string variant, FunctionsFleet fleet, int batchSize, int concurrency, string seed)
    {
        var step = Step(fleet, batchSize, concurrency);
        var store = StoreFactory.Open("sqlite:" + Path.Combine(fleet.State, "rewind.db"));
        try
        {
            await store.MigrateAsync();
            var rollback = (await store.CreateRollbackAsync("functions", null, BatchBenchmark.From, BatchBenchmark.Target, "benchmark", "bench", [step], DateTimeOffset.UtcNow)).Created!;
            var ledger = new TimedLedger(store);
            var context = new StepContext(rollback.Id, 0, ledger, StepContext.ProcessEnvironment);
            var clock = Stopwatch.StartNew();
            var outcome = await new BatchStepRunner(new ProcessRunner(), TimeProvider.System).RunAsync(step, context);
            var wall = clock.Elapsed.TotalSeconds;
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"{variant}: the batch step failed: {outcome.Output}");
            }

            var members = await store.GetMembersAsync(rollback.Id, 0);
            if (members.Count != BatchBenchmark.Functions || members.Any(m => m.Status != MemberStatus.Succeeded))
            {
                throw new InvalidOperationException($"{variant}: the ledger holds {members.Count} member(s), {members.Count(m => m.Status == MemberStatus.Succeeded)} succeeded");
            }

            await fleet.VerifyAsync(variant);
            var calls = fleet.Calls();
            return new RunResult(variant, seed, wall, CallCounts.Of(calls), CallPhases.Median(ledger.PhasesOfSingleCalls(calls)), outcome.Output.Split('\n')[0]);
        }
        finally
        {
            await ((IAsyncDisposable)store).DisposeAsync();
        }
    }

    /// <summary>The step as <c>rewind.yaml</c> would give it: <c>batch: { concurrency, retries: 3, backoff: 200ms, quota-errors: [RESOURCE_EXHAUSTED] }</c> and the batch size.</summary>
    public static BatchStep Step(FunctionsFleet fleet, int batchSize, int concurrency) => new(
        new BatchMembers(null, null, fleet.List),
        fleet.Rollback("{{member}}"),
        fleet.Environment,
        fleet.State,
        batchSize,
        concurrency,
        TimeSpan.Zero,
        null,
        BatchBenchmark.Retries,
        BatchBenchmark.Backoff,
        ["RESOURCE_EXHAUSTED"],
        0,
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(10),
        [0]);
}
