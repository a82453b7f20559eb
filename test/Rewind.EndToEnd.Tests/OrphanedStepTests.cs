using System.Globalization;
using System.Text.Json;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A step's processes never outlive the controller that runs them into a second copy of the step: the real controller is
/// SIGKILLed while a restart script runs (the script has left a background child in its group), and the controller that
/// resumes the rollback ends that group before it runs the restart again. `rewind abort` ends the whole group too.
/// </summary>
public sealed class OrphanedStepTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The restart the rollback runs: it logs <c>start</c>, leaves a background sleep in its group (reparented away from
    /// it), records both pids, and logs <c>overlap</c> for any earlier copy still alive. The first copy then blocks until it
    /// is ended (logging <c>term</c> when SIGTERM reaches it); later copies restart the service and log <c>end</c>,
    /// unless the marker <c>block-all</c> says every copy blocks. A blocking copy waits on one background sleep (a builtin
    /// wait), not a loop of them: a SIGTERM that lands while bash forks the next sleep runs the trap in the fork too,
    /// logging <c>term</c> twice.
    /// </summary>
    private const string RestartScript = """
        dir="$1"; shift
        alive() { [ -e "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
        for pid in $(cat "$dir"/pids.* 2>/dev/null); do alive "$pid" && echo "overlap $pid" >> "$dir/log"; done
        n=$(ls "$dir" | grep -c '^pids\.' || true); n=$((n + 1))
        echo "start $n $$" >> "$dir/log"
        trap 'echo "term $n $$" >> "$dir/log"; exit 143' TERM
        (sleep 300 & echo "$$ $!" > "$dir/pids.tmp.$n"; mv "$dir/pids.tmp.$n" "$dir/pids.$n")
        if [ "$n" = 1 ] || [ -e "$dir/block-all" ]; then sleep 3600 & wait $!; exit 1; fi
        "$@"
        echo "end $n $$" >> "$dir/log"
        """;

    private readonly List<string> _markers = [];

    [Fact]
    public async Task Rollback_ControllerKilledDuringRestart_EndsTheLeftoverGroupBeforeRestartingAgain()
    {
        await using var deployment = await StartBrokenDeploymentAsync();
        var markers = Markers(deployment);
        var client = await ClientAsync(deployment);
        string rollbackId;
        using (var first = RewindProcess.Start("serve", "--config", deployment.ConfigPath))
        {
            rollbackId = await RollbackInRestartAsync(deployment, client, markers, first);
            first.KillHard();
        }

        var (script, child) = Pids(markers, 1);
        Alive(script).ShouldBeTrue("SIGKILL of the controller orphans the script it ran");
        Alive(child).ShouldBeTrue();

        using var second = RewindProcess.Start("serve", "--config", deployment.ConfigPath);
        var finished = await Eventually.WaitAsync(
            async () => await client.GetRollbackAsync(rollbackId) is { Status: "succeeded" or "failed" or "cancelled" } r ? r : null,
            Deadline,
            "the resumed rollback to finish");

        finished.Status.ShouldBe("succeeded", second.Output);
        finished.Steps.Select(s => (s.Kind, s.Attempts)).ShouldBe([("switch", 1), ("restart", 2), ("wait-healthy", 1)]);
        (await GoneAsync(script)).ShouldBeTrue();
        (await GoneAsync(child)).ShouldBeTrue("the script's background child was ended with its group");
        var log = File.ReadAllLines(Path.Combine(markers, "log"));
        log.ShouldNotContain(l => l.StartsWith("overlap", StringComparison.Ordinal), string.Join('\n', log));
        log.ShouldBe([$"start 1 {script}", $"term 1 {script}", $"start 2 {Pids(markers, 2).Script}", $"end 2 {Pids(markers, 2).Script}"]);
        var timeline = (await client.GetIncidentAsync(finished.IncidentId!)).Timeline.Select(e => e.Message).ToList();
        var ended = timeline.FindIndex(m => m.Contains($"step 2/3 restart: ended the leftover process group {script.ToString(CultureInfo.InvariantCulture)} (", StringComparison.Ordinal)
            && m.Contains("still running from before; the group is gone, before the step runs again", StringComparison.Ordinal));
        ended.ShouldBeGreaterThanOrEqualTo(0, string.Join('\n', timeline));
        timeline.FindIndex(m => m.Contains("step 2/3 restart succeeded", StringComparison.Ordinal)).ShouldBeGreaterThan(ended);
    }

    [Fact]
    public async Task Abort_DuringRestart_EndsTheScriptAndItsChild()
    {
        await using var deployment = await StartBrokenDeploymentAsync();
        var markers = Markers(deployment);
        var client = await ClientAsync(deployment);
        using var controller = RewindProcess.Start("serve", "--config", deployment.ConfigPath);
        var rollbackId = await RollbackInRestartAsync(deployment, client, markers, controller);
        var (script, child) = Pids(markers, 1);

        await client.AbortRollbackAsync(rollbackId, "the restart hangs");

        var stopped = await Eventually.WaitAsync(
            async () => await client.GetRollbackAsync(rollbackId) is { Status: "cancelled" or "failed" or "succeeded" } r ? r : null,
            Deadline,
            "the aborted rollback to stop");
        stopped.Status.ShouldBe("cancelled", controller.Output);
        (await GoneAsync(script)).ShouldBeTrue();
        (await GoneAsync(child)).ShouldBeTrue("abort ends the step's whole group, not only its first process");
        File.ReadAllLines(Path.Combine(markers, "log")).ShouldBe([$"start 1 {script}", $"term 1 {script}"]);
    }

    /// <summary>A failed test leaves no script behind: every copy's group is killed.</summary>
    public void Dispose()
    {
        foreach (var file in _markers.Where(Directory.Exists).SelectMany(m => Directory.GetFiles(m, "pids.*")))
        {
            foreach (var pid in File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
                    process.Kill();
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // gone already
                }
            }
        }
    }

    /// <summary>
    /// True once <paramref name="pid"/> is gone, waiting up to 10 s: a killed process is reaped a moment after the signal,
    /// and the record may say so first on a loaded host.
    /// </summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        try
        {
            await Eventually.WaitAsync(() => Task.FromResult(!Alive(pid)), TimeSpan.FromSeconds(10), $"process {pid} to end");
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static bool Alive(int pid) => Rewind.Runtime.Processes.ProcessGroups.Read(pid) is { IsLive: true };

    /// <summary>v1 stable and healthy, then v2 (broken) deployed; the controller's restart step is the script above.</summary>
    private async Task<Deployment> StartBrokenDeploymentAsync()
    {
        var deployment = new Deployment();
        _markers.Add(Markers(deployment));
        deployment.Install("v1", "none");
        deployment.Install("v2", "broken");
        deployment.PointCurrentAt("v1");
        deployment.WriteConfig();
        var markers = Markers(deployment);
        Directory.CreateDirectory(markers);
        var script = Path.Combine(deployment.Root, "restart-step.sh");
        await File.WriteAllTextAsync(script, RestartScript.ReplaceLineEndings("\n") + "\n");
        var restart = $"restart: [{JsonSerializer.Serialize(Deployment.ServiceCtl)}, restart,";
        var config = await File.ReadAllTextAsync(deployment.ConfigPath);
        config.ShouldContain(restart);
        await File.WriteAllTextAsync(deployment.ConfigPath, config.Replace(restart, $"restart: [/bin/bash, {JsonSerializer.Serialize(script)}, {JsonSerializer.Serialize(markers)}, {JsonSerializer.Serialize(Deployment.ServiceCtl)}, restart,", StringComparison.Ordinal));
        (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        return deployment;
    }

    private static string Markers(Deployment deployment) => Path.Combine(deployment.Root, "markers");

    private static async Task<RewindClient> ClientAsync(Deployment deployment)
    {
        var http = new HttpClient { BaseAddress = new Uri(deployment.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await RewindProcess.InitAccessAsync(deployment.ConfigPath));
        return new RewindClient(http);
    }

    /// <summary>Records v1 and v2 so the health policy rolls back, and returns once the first restart copy has left its child behind.</summary>
    private static async Task<string> RollbackInRestartAsync(Deployment deployment, RewindClient client, string markers, RewindProcess controller)
    {
        await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
        Rewind.Runtime.Releases.ReleaseDirectory.Switch(deployment.AppRoot, "v2").Succeeded.ShouldBeTrue();
        (await deployment.ServiceCtlAsync("restart")).Succeeded.ShouldBeTrue();
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
        var running = await Eventually.WaitAsync(
            async () => (await client.GetRollbacksAsync()).FirstOrDefault(r => r.Steps.Count == 3 && r.Steps[1].Status == "running"),
            Deadline,
            "the rollback to be inside its restart step");
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(Path.Combine(markers, "pids.1"))), Deadline, "the restart script to leave its child behind: " + controller.Output);

        // The controller records the script's group just after starting it: a kill before that record orphans a group
        // no controller can know of, which is not what this test is about. Killed once the record is in the store.
        var ledger = Rewind.Storage.StoreFactory.Open($"sqlite:{Path.Combine(deployment.Root, "rewind.db")}");
        await using var closesLedger = (IAsyncDisposable)ledger;
        await Eventually.WaitAsync(async () => (await ledger.GetStepProcessesAsync(running.Id, 1)).Count > 0, Deadline, "the restart script's group to be recorded");
        return running.Id;
    }

    private static (int Script, int Child) Pids(string markers, int copy)
    {
        var parts = File.ReadAllText(Path.Combine(markers, $"pids.{copy.ToString(CultureInfo.InvariantCulture)}")).Trim().Split(' ');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
