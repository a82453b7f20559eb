using System.Globalization;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly ProcessRunner _runner = new();

    [Fact]
    public async Task RunAsync_ExitZero_SucceedsWithStdoutAndStderr()
    {
        var result = await _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", "echo hello; echo oops >&2"], null, Generous));

        result.Succeeded.ShouldBeTrue();
        result.ExitCode.ShouldBe(0);
        result.TimedOut.ShouldBeFalse();
        result.Output.ShouldContain("hello");
        result.Output.ShouldContain("oops");
        result.Describe().ShouldStartWith("exit 0 in ");
    }

    [Fact]
    public async Task RunAsync_SecretsInMoreOutputThanIsKept_NoPartOfOneSurvivesTheCuts()
    {
        const string Secret = "s3cr3t-v4lue-xyz";
        // 17,647 lines of the secret (300 KB): the head is dropped at places that fall inside a line, and the last line is whole.
        var request = new ProcessRequest(["/bin/sh", "-c", "yes \"$TOKEN\" 2>/dev/null | head -c 299999"], null, Generous)
        {
            Environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["TOKEN"] = Secret },
            Secrets = new SecretRedactor([KeyValuePair.Create("TOKEN", Secret)]),
        };

        var result = await _runner.RunAsync(request);

        result.Succeeded.ShouldBeTrue();
        result.Output.ShouldStartWith("[earlier output dropped]\n");
        result.Output.ShouldEndWith("\n[secret TOKEN]\n");
        foreach (var part in Enumerable.Range(0, Secret.Length - 3).Select(i => Secret.Substring(i, 4)))
        {
            result.Output.ShouldNotContain(part);
        }
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_IsAValueNotAnException()
    {
        var result = await _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", "exit 7"], null, Generous));
        var falseResult = await _runner.RunAsync(new ProcessRequest(["false"], null, Generous));

        result.Succeeded.ShouldBeFalse();
        result.ExitCode.ShouldBe(7);
        falseResult.ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_MissingExecutable_ReportsStartError()
    {
        var result = await _runner.RunAsync(new ProcessRequest(["/nonexistent/rewind-no-such-tool", "--flag"], null, Generous));

        result.Succeeded.ShouldBeFalse();
        result.ExitCode.ShouldBeNull();
        result.StartError.ShouldNotBeNull();
        result.StartError.ShouldContain("rewind-no-such-tool");
        result.Describe().ShouldStartWith("did not start: ");
    }

    [Fact]
    public async Task RunAsync_MissingWorkingDirectory_ReportsStartErrorNamingIt()
    {
        var result = await _runner.RunAsync(new ProcessRequest(["true"], "/nonexistent/rewind-no-such-dir", Generous));

        result.ExitCode.ShouldBeNull();
        result.Describe().ShouldBe("did not start: cannot start true: working directory /nonexistent/rewind-no-such-dir does not exist");
    }

    [Fact]
    public async Task RunAsync_ArgumentsAreNeverInterpretedByAShell()
    {
        var result = await _runner.RunAsync(new ProcessRequest(
            ["/bin/sh", "-c", "printf '[%s]\\n' \"$@\"", "sh", "a b", "$(echo injected)", "c;d"], null, Generous));

        result.Output.ShouldBe("[a b]\n[$(echo injected)]\n[c;d]\n");
    }

    [Fact]
    public async Task RunAsync_WorkingDirectoryAndEnvironment_AreApplied()
    {
        using var directory = new TempDirectory();
        var request = new ProcessRequest(["/bin/sh", "-c", "pwd; echo \"$REWIND_TEST_VALUE\""], directory.Path, Generous)
        {
            Environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["REWIND_TEST_VALUE"] = "from-env" },
        };

        var result = await _runner.RunAsync(request);

        result.Output.ShouldBe(directory.Path + "\nfrom-env\n");
    }

    [Fact]
    public async Task RunAsync_Timeout_KillsTheWholeProcessTree()
    {
        var result = await _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", "sleep 60 & echo $!; wait"], null, TimeSpan.FromMilliseconds(500)));
        var grandchild = int.Parse(result.Output.Trim(), CultureInfo.InvariantCulture);
        try
        {
            result.TimedOut.ShouldBeTrue();
            result.Succeeded.ShouldBeFalse();
            result.Duration.ShouldBeLessThan(TimeSpan.FromSeconds(10));
            await Eventually.WaitAsync(() => Task.FromResult(!ProcessTable.IsAlive(grandchild)), TimeSpan.FromSeconds(5), $"grandchild {grandchild} to die");
        }
        finally
        {
            ProcessTable.Kill(grandchild);
        }
    }

    [Fact]
    public async Task RunAsync_CallerCancellation_ThrowsAndKillsTheProcess()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.Combine("pid");
        using var cancellation = new CancellationTokenSource();
        var run = _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", "echo $$ > \"$1\"; exec sleep 60", "sh", pidFile], null, Generous), cancellation.Token);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n')), Generous, "the pid file");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        try
        {
            await cancellation.CancelAsync();

            await Should.ThrowAsync<OperationCanceledException>(() => run);
            await Eventually.WaitAsync(() => Task.FromResult(!ProcessTable.IsAlive(pid)), TimeSpan.FromSeconds(5), $"process {pid} to die");
        }
        finally
        {
            ProcessTable.Kill(pid);
        }
    }

    [Fact]
    public async Task RunAsync_HugeOutput_KeepsOnlyTheTail()
    {
        var result = await _runner.RunAsync(new ProcessRequest(
            ["/bin/sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' a; echo; echo END"], null, Generous));

        result.Succeeded.ShouldBeTrue();
        result.Output.Length.ShouldBeLessThanOrEqualTo(ProcessRunner.OutputLimit + 100);
        result.Output.ShouldStartWith("[earlier output dropped]");
        result.Output.ShouldEndWith("a\nEND\n");
    }
}
