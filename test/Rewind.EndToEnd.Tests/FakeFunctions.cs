using System.Globalization;
using System.Text.Json;
using Rewind.Runtime.Processes;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>A fleet of the fake cloud-functions CLI (samples/fakes/fake-functions) in its own state directory.</summary>
internal sealed class FakeFunctions(string stateDirectory)
{
    public static string Executable { get; } = Path.Combine(Repository.Root, "samples", "fakes", "fake-functions");

    public string StateDirectory => stateDirectory;

    public async Task InitAsync(int count, string version)
    {
        var result = await RunAsync("init", "--count", count.ToString(CultureInfo.InvariantCulture), "--version", version);
        result.Succeeded.ShouldBeTrue(result.Output);
    }

    /// <summary><c>{"functions", "versions": {version: count}, "rollbacks", "doubleRollbacks": [names]}</c>.</summary>
    public async Task<JsonElement> AuditAsync()
    {
        var result = await RunAsync("audit");
        result.Succeeded.ShouldBeTrue(result.Output);
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }

    /// <summary>How many <c>rollback</c> calls each function got, whatever they answered, from calls.log.</summary>
    public IReadOnlyDictionary<string, int> RollbackCalls() =>
        File.ReadLines(Path.Combine(stateDirectory, "calls.log"))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList())
            .Where(argv => argv.Contains("rollback"))
            .GroupBy(argv => argv[argv.IndexOf("rollback") + 1], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// Waits until no process of this fleet runs. A controller killed mid-call leaves its calls running, as a cloud API
    /// finishes a request whose client went away; once they have landed, a repeated call is surely the later one.
    /// </summary>
    public Task WaitUntilNoCallRunsAsync(TimeSpan deadline) =>
        Eventually.WaitAsync(() => Task.FromResult(!Directory.EnumerateDirectories("/proc").Any(IsCallOfThisFleet)), deadline, "the calls of the killed controller to finish");

    private bool IsCallOfThisFleet(string procDirectory)
    {
        try
        {
            return int.TryParse(Path.GetFileName(procDirectory), CultureInfo.InvariantCulture, out _)
                && File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Split('\0').Contains(stateDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // the process exited while being read, or is not ours to read
        }
    }

    private Task<ProcessResult> RunAsync(params string[] args) =>
        new ProcessRunner().RunAsync(new ProcessRequest([Executable, "--state", stateDirectory, .. args], null, TimeSpan.FromSeconds(30)));
}
