using System.Diagnostics;
using System.Globalization;
using Rewind.Client;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;
using Rewind.Server.Tests.Api;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>
/// A controller resuming a rollback finds a process group recorded for the step it stopped at, as a SIGKILLed controller
/// leaves it: a real orphan (a script leading its own session, with a background child) that the test starts itself.
/// </summary>
public sealed class LeftoverStepProcessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const int RestartStep = 1;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rewind-leftover-");
    private readonly List<int> _started = [];

    [Fact]
    public async Task Abort_AskedWhileALeftoverGroupRuns_EndsItBeforeTheRollbackIsAborted()
    {
        var store = $"sqlite:{_directory.FullName}/rewind.db";
        var (leader, child) = await StartOrphanAsync();
        RollbackDto requested;
        await using (var first = await ServerFixture.StartAsync(restart: "[sleep, \"60\"]", store: store))
        {
            requested = await RestartRunningAsync(first);
            await first.Store.AddStepProcessAsync(requested.Id, RestartStep, Recorded(leader, ProcessGroups.Read(leader)!.StartTime));
            (await first.Store.RequestAbortAsync(requested.Id, "bob", "stop it")).ShouldBeTrue(); // durable, and this controller is not told
        }

        await using var second = await ServerFixture.StartAsync(restart: "[sleep, \"60\"]", store: store);
        var stopped = await Eventually.WaitAsync(async () => await second.Client.GetRollbackAsync(requested.Id) is { Status: "cancelled" } r ? r : null, Deadline, "the rollback to stop");

        stopped.Steps[RestartStep].Attempts.ShouldBe(1); // not started again
        Alive(leader).ShouldBeFalse();
        Alive(child).ShouldBeFalse("abort ends the leftover group's background child too");
        var timeline = (await second.Client.GetIncidentAsync(requested.IncidentId!)).Timeline.Select(e => e.Message).ToList();
        timeline.ShouldContain(m => m.StartsWith($"{requested.Id} step 2/3 restart: ended the leftover process group {leader} (/bin/sh, started ", StringComparison.Ordinal)
            && m.EndsWith("the group is gone, before the rollback is aborted", StringComparison.Ordinal));
        (await second.Store.GetStepProcessesAsync(requested.Id, RestartStep)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Resume_RecordedPidNowAnotherProcess_LeavesItAloneAndRunsTheStepAgain()
    {
        var store = $"sqlite:{_directory.FullName}/rewind.db";
        var (leader, child) = await StartOrphanAsync();
        RollbackDto requested;
        await using (var first = await ServerFixture.StartAsync(restart: "[sleep, \"60\"]", store: store))
        {
            requested = await RestartRunningAsync(first);
            // recorded for an earlier process that had the same pid: same boot, an older start time
            await first.Store.AddStepProcessAsync(requested.Id, RestartStep, Recorded(leader, ProcessGroups.Read(leader)!.StartTime - 1));
        }

        await using var second = await ServerFixture.StartAsync(restart: "[sleep, \"60\"]", store: store);
        // the re-run itself fails (the first controller's deployment directory is gone with it): it ran, which is what counts here
        await Eventually.WaitAsync(async () => (await second.Client.GetRollbackAsync(requested.Id)).Steps[RestartStep].Attempts == 2, Deadline, "the restart step to run again");

        Alive(leader).ShouldBeTrue("a pid that now belongs to another process is left alone");
        Alive(child).ShouldBeTrue();
        var timeline = (await second.Client.GetIncidentAsync(requested.IncidentId!)).Timeline.Select(e => e.Message).ToList();
        timeline.ShouldContain(m => m.Contains($"pid {leader} now belongs to another process (a different start time), which is left alone, before the step runs again", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        foreach (var pid in _started)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // gone already
            }
        }

        _directory.Delete(recursive: true);
    }

    private static async Task<RollbackDto> RestartRunningAsync(ServerFixture server)
    {
        await RollbackEndpointsTests.StableV1ThenV2Async(server);
        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        await Eventually.WaitAsync(async () => (await server.Client.GetRollbackAsync(requested.Id)).Steps[RestartStep].Status == "running", Deadline, "the restart step to run");
        return requested;
    }

    private static StepProcess Recorded(int pid, long startTime) =>
        new(pid, startTime, ProcessGroups.BootId, Environment.MachineName, "/bin/sh", TimeProvider.System.GetUtcNow());

    private static bool Alive(int pid) => ProcessGroups.Read(pid) is { IsLive: true };

    /// <summary>A script leading its own session with a background child, no runner waiting on it: what a killed controller leaves.</summary>
    private async Task<(int Leader, int Child)> StartOrphanAsync()
    {
        var pids = Path.Combine(_directory.FullName, "pids");
        var info = new ProcessStartInfo(ProcessGroups.Setsid) { UseShellExecute = false };
        foreach (var argument in new[] { "/bin/sh", "-c", "(sleep 300 & echo \"$$ $!\" > \"$1.tmp\"; mv \"$1.tmp\" \"$1\"); exec sleep 300", "sh", pids })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        _started.Add(process.Id);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(pids)), Deadline, "the orphan to start its child");
        var parts = (await File.ReadAllTextAsync(pids)).Trim().Split(' ');
        var (leader, child) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        _started.Add(child);
        return (leader, child);
    }
}
