using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>Running the script, reading its operations, and stopping workers a test left running.</summary>
public sealed partial class FakeFirestoreTests
{
    private const string OperationsPrefix = "projects/fake/databases/(default)/operations/";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>users/alice, users/bob and orders/o1 in a new database.</summary>
    private async Task SeedAsync()
    {
        (await RunAsync("init")).ExitCode.ShouldBe(0);
        (await RunAsync("set", "users/alice", "{\"name\": \"Alice\"}")).ExitCode.ShouldBe(0);
        (await RunAsync("set", "users/bob", "{\"name\": \"Bob\"}")).ExitCode.ShouldBe(0);
        (await RunAsync("set", "orders/o1", "{\"total\": 3}")).ExitCode.ShouldBe(0);
    }

    /// <summary>Six exports one after the other with seed 7 and a 50% failure draw: their exit codes.</summary>
    private async Task<int[]> SeededExportsAsync(string state)
    {
        await RunAsync("--state", state, "init");
        var exits = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var call = await RunAsync("--state", state, "export", $"gs://backups/e{i.ToString(CultureInfo.InvariantCulture)}", "--seed", "7", "--fail-fraction", "0.5");
            exits.Add(call.ExitCode);
        }

        return [.. exits];
    }

    private async Task<Operation> DescribeAsync(string name)
    {
        var call = await RunAsync("operations", "describe", name);
        call.ExitCode.ShouldBe(0, call.Stderr);
        return JsonSerializer.Deserialize<Operation>(call.Stdout, Json)!;
    }

    /// <summary>The worker process of an operation, from its state file (<c>_worker</c>).</summary>
    private int WorkerOf(string name)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(_state.Combine("operations", name[OperationsPrefix.Length..] + ".json")));
        return file.RootElement.GetProperty("_worker").GetInt32();
    }

    /// <summary>Kills the workers of operations still running, so none writes into a deleted state directory.</summary>
    private void StopWorkers()
    {
        var operations = _state.Combine("operations");
        if (!Directory.Exists(operations))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(operations, "*.json"))
        {
            using var state = JsonDocument.Parse(File.ReadAllText(file));
            if (!state.RootElement.GetProperty("done").GetBoolean() && state.RootElement.TryGetProperty("_worker", out var pid))
            {
                try
                {
                    using var worker = Process.GetProcessById(pid.GetInt32());
                    worker.Kill();
                    worker.WaitForExit(10_000);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }
    }

    /// <summary>The state directory and no latency unless asked; no inherited settings.</summary>
    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["FAKE_FIRESTORE_STATE"] = _state.Path,
        ["FAKE_FIRESTORE_LATENCY_MS"] = "0",
    };

    private Task<ScriptCall> RunAsync(params string[] args) => ScriptCall.RunAsync(ScriptCall.StartInfo(Script, args, "FAKE_FIRESTORE_", Environment()));

    private sealed record Operation(string Name, bool Done, OperationMetadata Metadata, OperationError? Error);

    private sealed record OperationMetadata(string OperationState, DateTimeOffset StartTime, DateTimeOffset? EndTime, Progress ProgressDocuments);

    private sealed record Progress(int CompletedWork, int EstimatedWork);

    private sealed record OperationError(int Code, string Status, string Message);
}
