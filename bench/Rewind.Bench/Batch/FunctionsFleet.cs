using System.Globalization;
using System.Text.Json;
using Rewind.Runtime.Processes;

namespace Rewind.Bench.Batch;

/// <summary>
/// One fresh fleet of the fake cloud-functions CLI (samples/fakes/fake-functions) in its own state directory: the
/// scenario's settings, the checks after a run, and what its <c>calls.log</c> says about the calls made.
/// </summary>
internal sealed class FunctionsFleet : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly ProcessRunner _runner = new();

    private FunctionsFleet(string fake, string state, string seed)
    {
        Fake = fake;
        State = state;
        Environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FAKE_FUNCTIONS_LATENCY_MS"] = BatchBenchmark.LatencyMs.ToString(CultureInfo.InvariantCulture),
            ["FAKE_FUNCTIONS_QUOTA"] = BatchBenchmark.Quota.ToString(CultureInfo.InvariantCulture),
            ["FAKE_FUNCTIONS_FAIL_FRACTION"] = BatchBenchmark.FailFraction.ToString(CultureInfo.InvariantCulture),
            ["FAKE_FUNCTIONS_SEED"] = seed,
        };
    }

    public string Fake { get; }

    public string State { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public IReadOnlyList<string> List => [Fake, "--state", State, "list"];

    public IReadOnlyList<string> Rollback(string member) => [Fake, "--state", State, "rollback", member, "--to", BatchBenchmark.Target];

    /// <summary>A new state directory with every function at the version being rolled back from.</summary>
    public static async Task<FunctionsFleet> InitAsync(string repository, string seed)
    {
        var fleet = new FunctionsFleet(Path.Combine(repository, "samples", "fakes", "fake-functions"), Directory.CreateTempSubdirectory("rewind-bench-batch-").FullName, seed);
        await fleet.RunAsync([fleet.Fake, "--state", fleet.State, "init", "--count", BatchBenchmark.Functions.ToString(CultureInfo.InvariantCulture), "--version", BatchBenchmark.From]);
        return fleet;
    }

    public ProcessRequest Request(IReadOnlyList<string> argv) =>
        new(argv, State, Limit) { Environment = Environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal) };

    /// <summary>Throws unless every function is at the target and none was rolled back twice: a wrong result is no result.</summary>
    public async Task VerifyAsync(string who)
    {
        var audit = JsonDocument.Parse(await RunAsync([Fake, "--state", State, "audit"])).RootElement;
        var versions = audit.GetProperty("versions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        var doubles = audit.GetProperty("doubleRollbacks").GetArrayLength();
        var rollbacks = audit.GetProperty("rollbacks").GetInt32();
        if (audit.GetProperty("functions").GetInt32() != BatchBenchmark.Functions || versions.GetValueOrDefault(BatchBenchmark.Target) != BatchBenchmark.Functions
            || versions.Count != 1 || doubles != 0 || rollbacks != BatchBenchmark.Functions)
        {
            throw new InvalidOperationException($"{who}: wrong result, audit says {audit}");
        }
    }

    /// <summary>The rollback calls in calls.log, in the order they finished.</summary>
    public IReadOnlyList<FunctionCall> Calls() =>
        [.. File.ReadAllLines(Path.Combine(State, "calls.log"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(c => (Call: c, Argv: c.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList()))
            .Where(c => c.Argv.Contains("rollback"))
            .Select(c => new FunctionCall(
                c.Argv[c.Argv.IndexOf("rollback") + 1],
                c.Call.GetProperty("exit").GetInt32(),
                Time(c.Call, "started")!.Value,
                Time(c.Call, "acquired"),
                Time(c.Call, "released"),
                Time(c.Call, "finished")!.Value))];

    public void Dispose() => Directory.Delete(State, recursive: true);

    private static DateTimeOffset? Time(JsonElement call, string name) =>
        call.TryGetProperty(name, out var value) ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture) : null;

    private async Task<string> RunAsync(IReadOnlyList<string> argv)
    {
        var result = await _runner.RunAsync(Request(argv));
        return result.Succeeded ? result.Output : throw new InvalidOperationException($"{string.Join(' ', argv.Skip(3))}: {result.Describe()}: {result.Output}");
    }
}

/// <summary>One rollback call as the fake logged it; <paramref name="Acquired"/> is null when no quota slot was free.</summary>
internal sealed record FunctionCall(string Member, int Exit, DateTimeOffset Started, DateTimeOffset? Acquired, DateTimeOffset? Released, DateTimeOffset Finished);

/// <summary>
/// Rollback calls of one run. <paramref name="Attempts"/> got a quota slot; quota errors did not;
/// <paramref name="SlotSeconds"/> is the time slots were held; <paramref name="MostQuotaErrors"/> the most quota errors
/// one member met (its back-offs grow with each).
/// </summary>
internal sealed record CallCounts(int Processes, int Attempts, int QuotaErrors, int Transient, double SlotSeconds, int MostQuotaErrors)
{
    public static CallCounts Of(IReadOnlyList<FunctionCall> calls) => new(
        calls.Count,
        calls.Count(c => c.Acquired is not null),
        calls.Count(c => c.Exit == 8),
        calls.Count(c => c.Exit == 1),
        calls.Where(c => c.Acquired is not null).Sum(c => (c.Released!.Value - c.Acquired!.Value).TotalSeconds),
        calls.GroupBy(c => c.Member, StringComparer.Ordinal).Select(g => g.Count(c => c.Exit == 8)).DefaultIfEmpty(0).Max());

    /// <summary>Quota slot time not used while the run lasted, per call that held a slot.</summary>
    public double IdleSlotSecondsPerCall(double wallSeconds) => Attempts == 0 ? 0 : ((BatchBenchmark.Quota * wallSeconds) - SlotSeconds) / Attempts;
}
