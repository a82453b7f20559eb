using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>The fake cloud-functions CLI (<c>samples/fakes/fake-functions</c>), run as a real process the way a runbook runs it.</summary>
public sealed class FakeFunctionsTests : IDisposable
{
    private const string QuotaMessage = "ERROR: (quota) RESOURCE_EXHAUSTED: Quota exceeded for concurrent function updates; retry later\n";
    private const string UnavailableMessage = "ERROR: UNAVAILABLE: transient backend error, please retry\n";
    private static readonly string Script = Path.Combine(Repository.Root, "samples", "fakes", "fake-functions");
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions LogJson = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task Init_CreatesZeroPaddedFunctions_ThatListAndDescribeShow()
    {
        var init = await RunAsync("init", "--count", "3", "--version", "v2");
        var list = await RunAsync("list");
        var listJson = await RunAsync("list", "--json");
        var describe = await RunAsync("describe", "fn-002");

        init.ShouldBe(new Call(0, "Created 3 functions at version v2\n", ""));
        list.ShouldBe(new Call(0, "fn-001\nfn-002\nfn-003\n", ""));
        JsonSerializer.Deserialize<FunctionVersion[]>(listJson.Stdout, LogJson)
            .ShouldBe([new("fn-001", "v2"), new("fn-002", "v2"), new("fn-003", "v2")]);
        var function = Function(describe);
        function.GetProperty("name").GetString().ShouldBe("fn-002");
        function.GetProperty("version").GetString().ShouldBe("v2");
        function.GetProperty("rollbacks").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Init_MoreThan999Functions_PadsToTheWidestNumber()
    {
        await RunAsync("init", "--count", "1000", "--version", "v1");

        var names = (await RunAsync("list")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        names.Length.ShouldBe(1000);
        names[0].ShouldBe("fn-0001");
        names[^1].ShouldBe("fn-1000");
    }

    [Fact]
    public async Task Rollback_ChangesTheVersionOnce_AndRepeatingItIsIdempotent()
    {
        await RunAsync("init", "--count", "2", "--version", "v2");

        var first = await RunAsync("rollback", "fn-001", "--to", "v1", "--latency-ms", "50");
        var second = await RunAsync("rollback", "fn-001", "--to", "v1", "--latency-ms", "50");

        first.ShouldBe(new Call(0, "Rolled back fn-001 to v1\n", ""));
        second.ShouldBe(new Call(0, "fn-001 already at v1\n", ""));
        var function = Function(await RunAsync("describe", "fn-001"));
        function.GetProperty("version").GetString().ShouldBe("v1");
        function.GetProperty("rollbacks").GetInt32().ShouldBe(1);
        var history = function.GetProperty("history");
        history[history.GetArrayLength() - 1].GetProperty("from").GetString().ShouldBe("v2");
        Function(await RunAsync("describe", "fn-002")).GetProperty("version").GetString().ShouldBe("v2");
    }

    [Fact]
    public async Task Rollback_ConcurrentCallsForOneFunction_CountOnce()
    {
        await RunAsync("init", "--count", "1", "--version", "v2");

        var calls = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RunAsync("rollback", "fn-001", "--to", "v1", "--latency-ms", "200")));

        calls.ShouldAllBe(c => c.ExitCode == 0);
        calls.Count(c => c.Stdout == "Rolled back fn-001 to v1\n").ShouldBe(1);
        calls.Count(c => c.Stdout == "fn-001 already at v1\n").ShouldBe(3);
        var function = Function(await RunAsync("describe", "fn-001"));
        function.GetProperty("rollbacks").GetInt32().ShouldBe(1);
        function.GetProperty("attempts").GetInt32().ShouldBe(4);
    }

    [Fact]
    public async Task Rollback_UnknownFunction_ExitsNotFoundWithoutTakingASlot()
    {
        await RunAsync("init", "--count", "1", "--version", "v2");

        var call = await RunAsync("rollback", "fn-999", "--to", "v1");

        call.ShouldBe(new Call(2, "", "ERROR: NOT_FOUND: function fn-999\n"));
        ReadLog()[^1].Slot.ShouldBeNull();
    }

    [Fact]
    public async Task Rollback_MoreConcurrentCallsThanQuota_RejectsTheRestAtOnceAndNeverExceedsIt()
    {
        var latency = TimeSpan.FromMilliseconds(1000);
        await RunAsync("init", "--count", "6", "--version", "v2");

        var calls = await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            RunAsync("rollback", $"fn-{i:000}", "--to", "v1", "--quota", "2", "--latency-ms", "1000")));

        calls.ShouldAllBe(c => c.ExitCode == 0 || (c.ExitCode == 8 && c.Stderr == QuotaMessage));
        calls.Count(c => c.ExitCode == 8).ShouldBeGreaterThan(0);
        calls.Count(c => c.ExitCode == 0).ShouldBeGreaterThanOrEqualTo(2);
        var rollbacks = ReadLog().Where(l => l.Argv[0] == "rollback").ToList();
        rollbacks.Where(l => l.Exit == 8).ShouldAllBe(l => l.Finished - l.Started < latency / 2);
        var held = rollbacks.Where(l => l.Slot is not null).ToList();
        held.Count.ShouldBe(calls.Count(c => c.ExitCode == 0));
        held.ShouldAllBe(l => l.Released!.Value - l.Acquired!.Value >= latency);
        MostAtOnce(held).ShouldBe(2);
    }

    [Fact]
    public async Task Rollback_FailFractionOne_AlwaysFailsAndChangesNothing()
    {
        await RunAsync("init", "--count", "1", "--version", "v2");
        var failing = new Dictionary<string, string>(StringComparer.Ordinal) { ["FAKE_FUNCTIONS_FAIL_FRACTION"] = "1", ["FAKE_FUNCTIONS_LATENCY_MS"] = "50" };

        var calls = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RunAsync(["rollback", "fn-001", "--to", "v1"], failing)));
        var overridden = await RunAsync(["rollback", "fn-001", "--to", "v1", "--fail-fraction", "0"], failing);

        calls.ShouldAllBe(c => c == new Call(1, "", UnavailableMessage));
        overridden.ExitCode.ShouldBe(0);
        var function = Function(await RunAsync("describe", "fn-001"));
        function.GetProperty("rollbacks").GetInt32().ShouldBe(1);
        function.GetProperty("attempts").GetInt32().ShouldBe(4);
    }

    [Fact]
    public async Task Rollback_SameSeed_FailsTheSameFunctionsAndAttempts()
    {
        using var other = new TempDirectory();

        var runs = await Task.WhenAll(SeededRoundsAsync(_state.Path), SeededRoundsAsync(other.Path));

        runs[1].ShouldBe(runs[0]);
        runs[0].ShouldContain(0);
        runs[0].ShouldContain(1);
    }

    [Fact]
    public async Task Audit_FunctionRolledBackTwice_IsListed()
    {
        await RunAsync("init", "--count", "3", "--version", "v2");
        await RunAsync("rollback", "fn-001", "--to", "v1", "--latency-ms", "0");
        await RunAsync("deploy", "fn-001", "--version", "v2");
        await RunAsync("rollback", "fn-001", "--to", "v1", "--latency-ms", "0");
        await RunAsync("rollback", "fn-002", "--to", "v1", "--latency-ms", "0");

        var audit = await RunAsync("audit");

        audit.ExitCode.ShouldBe(0);
        var summary = JsonSerializer.Deserialize<AuditSummary>(audit.Stdout, LogJson)!;
        summary.Functions.ShouldBe(3);
        summary.Versions.ShouldBe(new Dictionary<string, int>(StringComparer.Ordinal) { ["v1"] = 2, ["v2"] = 1 });
        summary.Rollbacks.ShouldBe(3);
        summary.DoubleRollbacks.ShouldBe(["fn-001"]);
    }

    [Fact]
    public async Task EveryCall_AppendsOneLineToTheCallsLog()
    {
        await RunAsync("init", "--count", "1", "--version", "v2");
        await RunAsync("list");
        await RunAsync("describe", "fn-404");

        var log = ReadLog();

        log.Select(l => (l.Argv[0], l.Exit)).ShouldBe([("init", 0), ("list", 0), ("describe", 2)]);
        log.Select(l => l.Pid).Distinct().Count().ShouldBe(3);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("rollback", "fn-001")]
    [InlineData("rollback", "--to", "v1")]
    [InlineData("rollback", "fn-001", "--to", "v1", "--quota", "many")]
    [InlineData("list", "--to", "v1")]
    [InlineData("describe", "../fn-001")]
    [InlineData("init", "--count", "0", "--version", "v1")]
    public async Task BadUsage_ExitsTwoWithAUsageLine(params string[] args)
    {
        var call = await RunAsync(args);

        call.ExitCode.ShouldBe(2);
        call.Stdout.ShouldBeEmpty();
        call.Stderr.ShouldStartWith("usage: fake-functions --state DIR");
        ReadLog().ShouldHaveSingleItem().Exit.ShouldBe(2);
    }

    private static JsonElement Function(Call describe)
    {
        describe.ExitCode.ShouldBe(0, describe.Stderr);
        using var document = JsonDocument.Parse(describe.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>The most slots held at one instant, from the <c>[acquired, released]</c> intervals (a release before an acquire at a tie).</summary>
    private static int MostAtOnce(IEnumerable<LoggedCall> held)
    {
        var edges = held.SelectMany(l => new[] { (At: l.Acquired!.Value, Change: 1), (At: l.Released!.Value, Change: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Change);
        int current = 0, most = 0;
        foreach (var edge in edges)
        {
            current += edge.Change;
            most = Math.Max(most, current);
        }

        return most;
    }

    /// <summary>Two rounds of rollbacks of four functions at once with seed 42 and a 50% failure draw: the exit codes in order.</summary>
    private async Task<int[]> SeededRoundsAsync(string state)
    {
        await RunAsync("--state", state, "init", "--count", "4", "--version", "v2");
        var exits = new List<int>();
        for (var round = 0; round < 2; round++)
        {
            var calls = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
                RunAsync("--state", state, "rollback", $"fn-{i:000}", "--to", "v1", "--seed", "42", "--fail-fraction", "0.5")));
            exits.AddRange(calls.Select(c => c.ExitCode));
        }

        return [.. exits];
    }

    private List<LoggedCall> ReadLog() =>
        [.. File.ReadAllLines(_state.Combine("calls.log")).Select(line => JsonSerializer.Deserialize<LoggedCall>(line, LogJson)!)];

    private Task<Call> RunAsync(params string[] args) => RunAsync(args, environment: null);

    /// <summary>Runs the script with the state directory in the environment, no latency unless asked, and no inherited settings.</summary>
    private async Task<Call> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(Script)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("FAKE_FUNCTIONS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["FAKE_FUNCTIONS_STATE"] = _state.Path;
        start.Environment["FAKE_FUNCTIONS_LATENCY_MS"] = "0";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>(StringComparer.Ordinal))
        {
            start.Environment[name] = value;
        }

        using var timeout = new CancellationTokenSource(CallTimeout);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return new Call(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException ex)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fake-functions {string.Join(' ', args)} did not exit within {CallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s", ex);
        }
    }

    private sealed record Call(int ExitCode, string Stdout, string Stderr);

    private sealed record FunctionVersion(string Name, string Version);

    private sealed record AuditSummary(int Functions, Dictionary<string, int> Versions, int Rollbacks, string[] DoubleRollbacks);

    private sealed record LoggedCall(
        DateTimeOffset Started,
        DateTimeOffset Finished,
        int Pid,
        string[] Argv,
        int Exit,
        int? Slot,
        DateTimeOffset? Acquired,
        DateTimeOffset? Released);
}
