using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Releases;
using Rewind.Runtime.Runbooks;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Runbooks;

public sealed class SwitchAndRestartStepRunnerTests
{
    [Fact]
    public async Task SwitchStepRunner_ExistingRelease_Succeeds()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("releases", "v1"));

        var outcome = await new SwitchStepRunner().RunAsync(new SwitchStep(root.Path, "v1", null));

        outcome.ShouldBe(StepOutcome.Success("switched current from no current release to v1"));
        ReleaseDirectory.ReadCurrentVersion(root.Path).ShouldBe("v1");
    }

    [Fact]
    public async Task SwitchStepRunner_MissingRelease_Fails()
    {
        using var root = new TempDirectory();

        var outcome = await new SwitchStepRunner().RunAsync(new SwitchStep(root.Path, "v1", null));

        outcome.Succeeded.ShouldBeFalse();
        outcome.Output.ShouldStartWith("refused: ");
    }

    [Fact]
    public async Task RestartStepRunner_ExitZero_SucceedsWithOutput()
    {
        using var root = new TempDirectory();
        var step = new RestartStep(["/bin/sh", "-c", "echo restarted in \"$PWD\""], root.Path, TimeSpan.FromSeconds(30));

        var outcome = await new RestartStepRunner(new ProcessRunner()).RunAsync(step);

        outcome.Succeeded.ShouldBeTrue();
        outcome.Output.ShouldStartWith("exit 0 in ");
        outcome.Output.ShouldEndWith("restarted in " + root.Path);
    }

    [Fact]
    public async Task RestartStepRunner_Timeout_Fails()
    {
        var step = new RestartStep(["sleep", "30"], "/", TimeSpan.FromMilliseconds(300));

        var outcome = await new RestartStepRunner(new ProcessRunner()).RunAsync(step);

        outcome.Succeeded.ShouldBeFalse();
        outcome.Output.ShouldContain("timed out after");
    }

    [Fact]
    public async Task RestartStepRunner_WrongStepKind_IsABug()
    {
        await Should.ThrowAsync<ArgumentException>(
            () => new RestartStepRunner(new ProcessRunner()).RunAsync(new SwitchStep("/tmp", "v1", null)));
    }
}
