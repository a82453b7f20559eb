using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Rewind.TestUtils;

namespace Rewind.Cli.Tests;

public sealed class CommandTests
{
    [Theory]
    [InlineData("root")]
    [InlineData("agent")]
    [InlineData("agent rollback")]
    [InlineData("rollback")]
    [InlineData("release record")]
    [InlineData("release check")]
    [InlineData("release promote")]
    [InlineData("config check")]
    [InlineData("config reload")]
    [InlineData("demo")]
    [InlineData("incident")]
    [InlineData("incident status")]
    [InlineData("incident resolve")]
    [InlineData("incident escalate")]
    [InlineData("incident report")]
    [InlineData("stats")]
    [InlineData("backup")]
    [InlineData("backup restore")]
    [InlineData("backup dump")]
    [InlineData("backup restore-table")]
    [InlineData("backup restore-dump")]
    [InlineData("backup files")]
    [InlineData("backup restore-files")]
    [InlineData("wal push")]
    [InlineData("drill")]
    [InlineData("drill run")]
    public async Task Help_IsWhatUsersRead(string command)
    {
        var args = command == "root" ? ["--help"] : command.Split(' ').Append("--help").ToArray();

        var run = await CliRun.RunAsync(args);

        run.ExitCode.ShouldBe(0);
        Approved.Verify("help-" + command.Replace(' ', '-'), run.Output, Repository.TestProject("Rewind.Cli.Tests"));
    }

    [Fact]
    public async Task TokenPush_PrintsATokenOnceAndTheConfigLineWithOnlyItsHash()
    {
        var first = await CliRun.RunAsync("token", "push", "shop");
        var second = await CliRun.RunAsync("token", "push", "shop");

        first.ExitCode.ShouldBe(0);
        var token = Regex.Match(first.Output, "rwp_[A-Za-z0-9_-]{43}", RegexOptions.None, TimeSpan.FromSeconds(1)).Value;
        var hash = Regex.Match(first.Output, @"^    shop: (?<hash>sha256:[0-9a-f]{64})$", RegexOptions.Multiline | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)).Groups["hash"].Value;
        hash.ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
        second.Output.ShouldNotContain(token);
    }

    [Fact]
    public async Task Status_ServerUnreachable_SaysSoAndExits3()
    {
        var run = await CliRun.RunAsync("status", "--server", "http://127.0.0.1:9");

        run.ExitCode.ShouldBe(3);
        run.Error.ShouldStartWith("error: cannot reach the Rewind server at http://127.0.0.1:9");
    }

    [Fact]
    public async Task Rollback_BadServerUrl_Exits2()
    {
        var run = await CliRun.RunAsync("rollback", "web", "--server", "not a url");

        run.ExitCode.ShouldBe(2);
    }

    [Fact]
    public async Task Rollback_MissingComponent_IsAUsageError()
    {
        var run = await CliRun.RunAsync("rollback");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Required argument 'component' missing for command: 'rollback'");
    }
}
