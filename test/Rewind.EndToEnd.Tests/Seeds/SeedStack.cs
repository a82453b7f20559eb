using System.Globalization;
using System.Text.RegularExpressions;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>
/// One seed of samples/seeds copied into a temp directory, its <c>@WORD@</c>s filled in, its controller started, and its
/// drills run through the CLI as an operator would; each run's <c>rewind drill list --markdown</c> is kept in
/// .artifacts/seeds/SEED.md for docs/drills.md.
/// </summary>
internal sealed partial class SeedStack : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private readonly string _seed;
    private RewindProcess? _serve;
    private string _token = "";

    private SeedStack(string seed, string root)
    {
        _seed = seed;
        Root = root;
        ApiPort = Runtime.Samples.SampleRelease.FreeLoopbackPort();
    }

    public string Root { get; }

    public string Config => Path.Combine(Root, "rewind.yaml");

    public int ApiPort { get; }

    public string Server => $"http://127.0.0.1:{Port(ApiPort)}";

    public RewindClient Admin { get; private set; } = null!;

    public string ServeOutput => _serve?.Output ?? "";

    /// <summary>The seed's files in a new directory PostgreSQL's user may use (a cluster's data directory goes in it).</summary>
    public static async Task<SeedStack> CopyAsync(string seed)
    {
        var root = await PostgresCluster.CreateDirectoryAsync($"rewind-seed-{seed}");
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "samples", "seeds", seed)))
        {
            File.Copy(file, Path.Combine(root, Path.GetFileName(file)));
        }

        return new SeedStack(seed, root);
    }

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Fills every <c>@WORD@</c> of the config (<c>@API_PORT@</c> is the stack's own); one left over fails the test.</summary>
    public void Fill(IReadOnlyDictionary<string, string> words)
    {
        var text = File.ReadAllText(Config).Replace("@API_PORT@", Port(ApiPort), StringComparison.Ordinal);
        foreach (var (word, value) in words)
        {
            text = text.Replace(word, value, StringComparison.Ordinal);
        }

        Word().IsMatch(text).ShouldBeFalse($"every @WORD@ of the seed is filled in: {Word().Match(text).Value}");
        File.WriteAllText(Config, text);
    }

    /// <summary>Starts <c>rewind serve</c> with <paramref name="environment"/> added to its own and waits until it answers.</summary>
    public async Task StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        _token = await RewindProcess.InitAccessAsync(Config);
        Admin = ApiClient.For(new Uri(Server + "/"), _token);
        _serve = RewindProcess.Start(environment ?? new Dictionary<string, string>(StringComparer.Ordinal), "serve", "--config", Config);
        await Eventually.WaitAsync(async () => (await Admin.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
    }

    /// <summary>`rewind drill run DRILL`; its output, once the drills' table is kept. Fails unless the drill passed (exit 0).</summary>
    public async Task<string> RunDrillAsync(string drill)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["REWIND_TOKEN"] = _token };
        using var run = RewindProcess.Start(environment, "drill", "run", drill, "--server", Server);
        var exit = await run.WaitForExitAsync(Deadline);
        using var list = RewindProcess.Start(environment, "drill", "list", "--markdown", "--server", Server);
        (await list.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, list.Output);
        var seeds = Directory.CreateDirectory(Path.Combine(Repository.Root, ".artifacts", "seeds")).FullName;
        await File.WriteAllTextAsync(Path.Combine(seeds, _seed + ".md"), list.Output);
        exit.ShouldBe(0, run.Output + "\n--- rewind serve ---\n" + ServeOutput);
        run.Output.ShouldContain($"# Drill {drill}: PASSED");
        return run.Output;
    }

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            _serve.Terminate();
            await _serve.WaitForExitAsync(TimeSpan.FromSeconds(30));
            _serve.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a process still exiting may hold a file; the temp directory is cleaned by the OS later
        }
    }

    [GeneratedRegex("@[A-Z_]+@", RegexOptions.None, 1000)]
    private static partial Regex Word();
}
