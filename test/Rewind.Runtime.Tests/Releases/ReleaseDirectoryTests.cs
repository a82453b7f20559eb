using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Releases;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Releases;

public sealed class ReleaseDirectoryTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public ReleaseDirectoryTests()
    {
        Directory.CreateDirectory(_root.Combine("releases", "v1"));
        Directory.CreateDirectory(_root.Combine("releases", "v2"));
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Switch_FirstTime_CreatesRelativeCurrentLink()
    {
        var result = ReleaseDirectory.Switch(_root.Path, "v1");

        result.Outcome.ShouldBe(SwitchOutcome.Switched);
        result.PreviousVersion.ShouldBeNull();
        new FileInfo(_root.Combine("current")).LinkTarget.ShouldBe("releases/v1");
        ReleaseDirectory.ReadCurrentVersion(_root.Path).ShouldBe("v1");
    }

    [Fact]
    public void Switch_ToAnotherRelease_SaysWhereItCameFrom()
    {
        ReleaseDirectory.Switch(_root.Path, "v2");

        var result = ReleaseDirectory.Switch(new SwitchStep(_root.Path, "v1", "v2"));

        result.Outcome.ShouldBe(SwitchOutcome.Switched);
        result.PreviousVersion.ShouldBe("v2");
        result.Message.ShouldBe("switched current from v2 to v1");
        ReleaseDirectory.ReadCurrentVersion(_root.Path).ShouldBe("v1");
        Directory.GetFileSystemEntries(_root.Path, ".current.tmp-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task Switch_AlreadyOnTarget_LeavesTheLinkItselfUntouched()
    {
        ReleaseDirectory.Switch(_root.Path, "v1");
        var inodeBefore = await LinkInodeAsync();

        var result = ReleaseDirectory.Switch(_root.Path, "v1");

        result.Outcome.ShouldBe(SwitchOutcome.AlreadyOnTarget);
        result.Succeeded.ShouldBeTrue();
        result.Message.ShouldBe("current already on v1; nothing to do");
        (await LinkInodeAsync()).ShouldBe(inodeBefore);
    }

    [Fact]
    public void Switch_MissingRelease_RefusesAndKeepsCurrent()
    {
        ReleaseDirectory.Switch(_root.Path, "v1");

        var result = ReleaseDirectory.Switch(_root.Path, "v9");

        result.Outcome.ShouldBe(SwitchOutcome.Refused);
        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldContain("does not exist");
        ReleaseDirectory.ReadCurrentVersion(_root.Path).ShouldBe("v1");
    }

    [Theory]
    [InlineData("../v1")]
    [InlineData("..")]
    public void Switch_VersionThatEscapesReleases_IsRefused(string version)
    {
        ReleaseDirectory.Switch(_root.Path, version).Outcome.ShouldBe(SwitchOutcome.Refused);
    }

    [Fact]
    public void ReadCurrentVersion_WithoutLink_IsNull()
    {
        ReleaseDirectory.ReadCurrentVersion(_root.Path).ShouldBeNull();
    }

    [Fact]
    public async Task Switch_ConcurrentReader_NeverSeesCurrentMissing()
    {
        ReleaseDirectory.Switch(_root.Path, "v1");
        var current = _root.Combine("current");
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Factory.StartNew(
            () =>
            {
                var (reads, misses) = (0, 0);
                while (!stop.IsCancellationRequested)
                {
                    started.TrySetResult();
                    reads++;
                    if (!Directory.Exists(current))
                    {
                        misses++;
                    }
                }

                return (reads, misses);
            },
            TaskCreationOptions.LongRunning);

        await started.Task;
        for (var i = 0; i < 200; i++)
        {
            ReleaseDirectory.Switch(_root.Path, i % 2 == 0 ? "v2" : "v1").Outcome.ShouldBe(SwitchOutcome.Switched);
        }

        await stop.CancelAsync();
        var (reads, misses) = await reader;

        reads.ShouldBeGreaterThan(0);
        misses.ShouldBe(0);
        ReleaseDirectory.ReadCurrentVersion(_root.Path).ShouldBe("v1");
    }

    private async Task<string> LinkInodeAsync()
    {
        // stat(1) without -L reports the link itself, not the release it points at.
        var result = await new ProcessRunner().RunAsync(new ProcessRequest(["stat", "-c", "%i", _root.Combine("current")], null, TimeSpan.FromSeconds(10)));
        result.Succeeded.ShouldBeTrue(result.Output);
        return result.Output.Trim();
    }
}
