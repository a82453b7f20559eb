using System.Diagnostics;
using Rewind.Runtime.Processes;

namespace Rewind.Bench.Batch;

/// <summary>
/// The loop a rollback script runs: list the functions, then for each one in turn call rollback and, when it fails,
/// call it again at once, up to <see cref="BatchBenchmark.Retries"/> more times (no sleep between tries, which favours
/// the loop). One call at a time, so the quota is never hit.
/// </summary>
internal static class SequentialLoop
{
    public static async Task<RunResult> RunAsync(FunctionsFleet fleet, string seed)
    {
        var runner = new ProcessRunner();
        var clock = Stopwatch.StartNew();
        var list = await runner.RunAsync(fleet.Request(fleet.List));
        if (!list.Succeeded)
        {
            throw new InvalidOperationException($"sequential: list failed: {list.Describe()}: {list.Output}");
        }

        var members = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var failed = new List<string>();
        foreach (var member in members)
        {
            var tries = 0;
            ProcessResult result;
            do
            {
                result = await runner.RunAsync(fleet.Request(fleet.Rollback(member)));
            }
            while (!result.Succeeded && ++tries <= BatchBenchmark.Retries);

            if (!result.Succeeded)
            {
                failed.Add(member);
            }
        }

        var wall = clock.Elapsed.TotalSeconds;
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"sequential: {failed.Count} function(s) failed after {BatchBenchmark.Retries} retries: {string.Join(", ", failed)}");
        }

        await fleet.VerifyAsync("sequential");
        return new RunResult("sequential", seed, wall, CallCounts.Of(fleet.Calls()), null, $"{members.Length} functions, one at a time");
    }
}
