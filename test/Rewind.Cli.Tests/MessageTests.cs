using System.Text.RegularExpressions;
using Rewind.TestUtils;

namespace Rewind.Cli.Tests;

/// <summary>What the CLI says where it used to say too little or the wrong thing, snapshot against approved text.</summary>
public sealed partial class MessageTests
{
    [Theory]
    [InlineData("")]
    [InlineData("rollback")]
    [InlineData("incident resolve")]
    public async Task HelpWord_PrintsWhatHelpOptionPrints(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var help = await CliRun.RunAsync(["help", .. words]);
        var option = await CliRun.RunAsync([.. words, "--help"]);

        help.ExitCode.ShouldBe(0, help.Error);
        help.Output.ShouldBe(option.Output);
        help.Output.ShouldContain("Usage:");
    }

    [Fact]
    public async Task ServerFromEnvironment_HostAndPort_IsPlainHttp()
    {
        var run = await CliRun.RunAsync(Environment("REWIND_SERVER", "127.0.0.1:9"), "status");

        run.ExitCode.ShouldBe(3);
        run.Error.ShouldStartWith("error: cannot reach the Rewind server at http://127.0.0.1:9: ");
    }

    [Fact]
    public async Task BadServer_SaysWhichSettingHoldsIt()
    {
        var fromEnvironment = await CliRun.RunAsync(Environment("REWIND_SERVER", "127.0.0.1:78 78"), "status");
        var fromOption = await CliRun.RunAsync(Environment("REWIND_SERVER", "127.0.0.1:7878"), "status", "--server", "ftp://127.0.0.1:21");

        (fromEnvironment.ExitCode, fromOption.ExitCode).ShouldBe((2, 2));
        Approved.Verify("server-invalid", fromEnvironment.Error + fromOption.Error, Repository.TestProject("Rewind.Cli.Tests"));
    }

    [Fact]
    public async Task Rollback_GroupOrNearMissName_SaysWhatWasMeant()
    {
        await using var server = await LiveServer.StartAsync("""
              api:
                provider: { release-dir: { path: app, restart: ["true"] } }
                probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } }
            groups: { stack: { components: [api, web] } }
            """);

        var group = await CliRun.RunAsync("rollback", "stack", "--dry-run", "--server", server.Url);
        var typo = await CliRun.RunAsync("rollback", "wbe", "--dry-run", "--server", server.Url);
        var component = await CliRun.RunAsync("rollback-group", "web", "--dry-run", "--server", server.Url);

        (group.ExitCode, typo.ExitCode, component.ExitCode).ShouldBe((1, 1, 1));
        Approved.Verify("rollback-unknown-names", group.Error + typo.Error + component.Error, Repository.TestProject("Rewind.Cli.Tests"));
    }

    [Fact]
    public async Task Serve_PortInUse_IsOneLineAndExit1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";
        var root = Directory.CreateTempSubdirectory("rewind-serve-").FullName;
        try
        {
            var config = Path.Combine(root, "rewind.yaml");
            await File.WriteAllTextAsync(config, $"store: sqlite:rewind.db\nserver: {{ listen: \"{url}\" }}\ncomponents: {{}}\n");

            var run = await CliRun.RunAsync("serve", "-c", config);

            run.ExitCode.ShouldBe(1);
            run.Error.ShouldBe($"error: cannot listen on {url}: the address is in use: another process listens on port {url[(url.LastIndexOf(':') + 1)..]}; stop it, or listen elsewhere (--listen, server.listen){System.Environment.NewLine}");
            File.Exists(Path.Combine(root, "rewind.db")).ShouldBeFalse("refused before the store is opened");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    internal static Dictionary<string, string> Environment(string name, string value) => new(StringComparer.Ordinal) { [name] = value };

    /// <summary>IDs, times and the server's address replaced, so a snapshot reads the same on every run.</summary>
    internal static string Stable(LiveServer server, string text) =>
        Times().Replace(Ids().Replace(server.Normalize(text), m => m.Groups["kind"].Value + "-<id>"), "<time>");

    [GeneratedRegex(@"(?<kind>RB|INC)-\d{4}-\d{2}-\d{2}-\d{4}", RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Ids();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Times();
}
