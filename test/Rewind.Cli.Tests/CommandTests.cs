using Rewind.TestUtils;

namespace Rewind.Cli.Tests;

public sealed class CommandTests
{
    [Theory]
    [InlineData("root")]
    [InlineData("rollback")]
    [InlineData("release record")]
    [InlineData("config check")]
    [InlineData("demo")]
    public async Task Help_IsWhatUsersRead(string command)
    {
        var args = command == "root" ? ["--help"] : command.Split(' ').Append("--help").ToArray();

        var run = await CliRun.RunAsync(args);

        run.ExitCode.ShouldBe(0);
        Approved.Verify("help-" + command.Replace(' ', '-'), run.Output, Repository.TestProject("Rewind.Cli.Tests"));
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
