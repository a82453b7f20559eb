using System.Globalization;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Processes;

/// <summary>
/// Each process the runner starts leads its own session and group, and is ended as a group: checked on real processes
/// through /proc. The scripts write "leader child" pids to a file; the child is a background sleep that a subshell
/// leaves behind, reparented away from the script, so only its group still ties it to the step.
/// </summary>
public sealed class ProcessGroupTests : IDisposable
{
    private const string LeaveChild = "(sleep 300 &  echo \"$$ $!\" > \"$1.tmp\"; mv \"$1.tmp\" \"$1\"); ";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly ProcessRunner _runner = new();
    private readonly TempDirectory _directory = new();
    private readonly List<int> _started = [];

    [Fact]
    public async Task RunAsync_AnyCommand_LeadsItsOwnSessionAndGroup()
    {
        var result = await _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", "echo $$; cat /proc/$$/stat"], null, Generous));

        var lines = result.Output.Split('\n');
        var pid = int.Parse(lines[0], CultureInfo.InvariantCulture);
        var fields = lines[1][(lines[1].LastIndexOf(')') + 2)..].Split(' ');
        (fields[2], fields[3]).ShouldBe((lines[0], lines[0]), "the group id and the session id are the pid");
        ProcessGroups.Read(Environment.ProcessId)!.GroupId.ShouldNotBe(pid);
    }

    [Fact]
    public async Task RunAsync_Timeout_EndsTheScriptAndTheChildItLeftBehind()
    {
        var pids = _directory.Combine("pids");

        var result = await _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", LeaveChild + "sleep 300", "sh", pids], null, TimeSpan.FromSeconds(1)));

        result.TimedOut.ShouldBeTrue();
        result.Describe().ShouldEndWith("process group ended");
        var (leader, child) = ReadPids(pids);
        ProcessTable.IsAlive(leader).ShouldBeFalse();
        ProcessTable.IsAlive(child).ShouldBeFalse("the background child dies with its group");
        ProcessGroups.Members(leader).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_CallerCancels_EndsTheScriptAndTheChildItLeftBehind()
    {
        var pids = _directory.Combine("pids");
        using var abort = new CancellationTokenSource();
        var run = _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", LeaveChild + "sleep 300", "sh", pids], null, Generous), abort.Token);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(pids)), Generous, "the script to start its child");
        var (leader, child) = ReadPids(pids);
        ProcessTable.IsAlive(child).ShouldBeTrue();

        await abort.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => run);
        ProcessTable.IsAlive(leader).ShouldBeFalse();
        ProcessTable.IsAlive(child).ShouldBeFalse("the background child dies with its group");
    }

    [Fact]
    public async Task RunAsync_GroupIgnoresSigterm_IsKilledAfterTheGrace()
    {
        var pids = _directory.Combine("pids");

        var result = await _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", "trap '' TERM; " + LeaveChild + "while :; do sleep 1; done", "sh", pids], null, TimeSpan.FromMilliseconds(500)));

        result.TimedOut.ShouldBeTrue();
        result.Duration.ShouldBeGreaterThanOrEqualTo(ProcessRunner.StopGrace, "SIGKILL comes only after the grace");
        var (leader, child) = ReadPids(pids);
        ProcessTable.IsAlive(leader).ShouldBeFalse();
        ProcessTable.IsAlive(child).ShouldBeFalse();
    }

    [Fact]
    public async Task RunAsync_WithRecorder_RecordsTheGroupBeforeWaitingAndClearsItAfterExit()
    {
        var recorder = new ListRecorder();
        var pidFile = _directory.Combine("pid");

        var result = await _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", "echo $$ > \"$1\"; read line", "sh", pidFile], null, Generous)
        {
            StandardInput = "go\n",
            Recorder = recorder,
        });

        result.Succeeded.ShouldBeTrue();
        var started = recorder.Started.ShouldHaveSingleItem();
        started.GroupId.ShouldBe(int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture));
        started.BootId.ShouldBe(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());
        started.LeaderStartTime.ShouldBe(recorder.StartTimeSeenWhileRunning);
        started.Executable.ShouldBe("/bin/sh");
        recorder.Ended.ShouldBe([started]);
    }

    [Fact]
    public async Task RunAsync_RecorderFails_EndsTheGroupAndThrows()
    {
        var pids = _directory.Combine("pids");
        var recorder = new ListRecorder { FailWhenChildExists = pids };

        await Should.ThrowAsync<IOException>(() => _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", LeaveChild + "sleep 300", "sh", pids], null, Generous) { Recorder = recorder }));

        var (leader, child) = ReadPids(pids);
        ProcessTable.IsAlive(leader).ShouldBeFalse();
        ProcessTable.IsAlive(child).ShouldBeFalse();
        recorder.Ended.ShouldBeEmpty();
    }

    [Fact]
    public async Task EndAsync_LeftoverOfTheSameProcess_EndsItsWholeGroup()
    {
        var (leader, child) = await StartOrphanAsync();
        var recorded = Recorded(leader, ProcessGroups.Read(leader)!.StartTime);

        var outcome = await LeftoverGroups.EndAsync(recorded, ProcessRunner.StopGrace, TimeProvider.System);

        outcome.Finding.ShouldBe(LeftoverFinding.Ended);
        outcome.Members.ShouldBeInRange(2, 3); // the leader and its child, and the subshell that wrote their pids if it has not exited yet
        outcome.Describe().ShouldStartWith($"ended the leftover process group {leader} (/bin/sh, started ");
        ProcessTable.IsAlive(leader).ShouldBeFalse();
        ProcessTable.IsAlive(child).ShouldBeFalse();
    }

    [Fact]
    public async Task EndAsync_PidNowUsedByAnotherProcess_LeavesItAlone()
    {
        var (leader, child) = await StartOrphanAsync();
        var recorded = Recorded(leader, ProcessGroups.Read(leader)!.StartTime - 1); // recorded for an earlier process with the same pid

        var outcome = await LeftoverGroups.EndAsync(recorded, ProcessRunner.StopGrace, TimeProvider.System);

        outcome.Finding.ShouldBe(LeftoverFinding.Reused);
        outcome.Cleared.ShouldBeTrue();
        outcome.Describe().ShouldContain($"pid {leader} now belongs to another process");
        ProcessTable.IsAlive(leader).ShouldBeTrue();
        ProcessTable.IsAlive(child).ShouldBeTrue();
    }

    [Fact]
    public async Task EndAsync_RecordedUnderAnotherBoot_LeavesThePidAlone()
    {
        var (leader, _) = await StartOrphanAsync();
        var recorded = Recorded(leader, ProcessGroups.Read(leader)!.StartTime) with { BootId = Guid.NewGuid().ToString() };

        var outcome = await LeftoverGroups.EndAsync(recorded, ProcessRunner.StopGrace, TimeProvider.System);

        outcome.Finding.ShouldBe(LeftoverFinding.OtherBoot);
        ProcessTable.IsAlive(leader).ShouldBeTrue();
    }

    [Fact]
    public async Task EndAsync_GroupLongGone_SaysSoAndEndsNothing()
    {
        var result = await _runner.RunAsync(new ProcessRequest(["/bin/sh", "-c", "echo $$"], null, Generous));
        var pid = int.Parse(result.Output.Trim(), CultureInfo.InvariantCulture);

        var outcome = await LeftoverGroups.EndAsync(Recorded(pid, 1), ProcessRunner.StopGrace, TimeProvider.System);

        outcome.Finding.ShouldBeOneOf(LeftoverFinding.Gone, LeftoverFinding.Reused);
        outcome.Cleared.ShouldBeTrue();
    }

    public void Dispose()
    {
        foreach (var pid in _started)
        {
            ProcessTable.Kill(pid);
        }

        _directory.Dispose();
    }

    private static StepProcess Recorded(int pid, long startTime) =>
        new(pid, startTime, ProcessGroups.BootId, Environment.MachineName, "/bin/sh", TimeProvider.System.GetUtcNow());

    /// <summary>A group as a killed controller leaves it: a script leading its own session, with a background child, no runner waiting on it.</summary>
    private async Task<(int Leader, int Child)> StartOrphanAsync()
    {
        var pids = _directory.Combine("orphan-" + Guid.NewGuid().ToString("N")[..6]);
        var info = new System.Diagnostics.ProcessStartInfo(ProcessGroups.Setsid) { UseShellExecute = false };
        foreach (var argument in new[] { "/bin/sh", "-c", LeaveChild + "exec sleep 300", "sh", pids })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        _started.Add(process.Id);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(pids)), Generous, "the orphan to start its child");
        var (leader, child) = ReadPids(pids);
        _started.Add(child);
        return (leader, child);
    }

    private static (int Leader, int Child) ReadPids(string path)
    {
        var parts = File.ReadAllText(path).Trim().Split(' ');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private sealed class ListRecorder : IProcessRecorder
    {
        public List<StepProcess> Started { get; } = [];

        public List<StepProcess> Ended { get; } = [];

        public long StartTimeSeenWhileRunning { get; private set; }

        public string? FailWhenChildExists { get; init; }

        public async Task StartedAsync(StepProcess process, CancellationToken cancellationToken = default)
        {
            Started.Add(process);
            StartTimeSeenWhileRunning = ProcessGroups.Read(process.GroupId)?.StartTime ?? -1;
            if (FailWhenChildExists is { } pids)
            {
                await Eventually.WaitAsync(() => Task.FromResult(File.Exists(pids)), Generous, "the script to start its child");
                throw new IOException("the store is unwritable");
            }
        }

        public Task EndedAsync(StepProcess process, CancellationToken cancellationToken = default)
        {
            Ended.Add(process);
            return Task.CompletedTask;
        }
    }
}
