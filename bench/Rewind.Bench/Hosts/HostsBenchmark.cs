using System.Diagnostics;
using System.Globalization;
using Rewind.Client;

namespace Rewind.Bench.Hosts;

/// <summary>
/// <c>bench/run hosts</c>: twenty hosts (each its own release directory, sample service and <c>rewind agent</c>) rolled
/// back from the bad v2 to v1 as one fleet, ten at a time, against a Capistrano-style ssh script through Debian's
/// OpenSSH server, one host at a time and ten at a time. Each case starts from the same state (every link on v2, every
/// service restarted on v2) and is timed from the rollback's start (Rewind: the API request; ssh: the script's start)
/// until all twenty services answer v1 on /health. A last case, the drill, SIGKILLs one agent while its host's step
/// runs and the controller mid-fleet, restarts both, and counts the restarts each host saw. See docs/benchmarks.md.
/// </summary>
internal sealed class HostsBenchmark(bool quick, string repository)
{
    public const string Rewind = "rewind";
    public const string SshLoop = "ssh-loop";
    public const string SshParallel = "ssh-parallel";

    /// <summary>The drill kills the controller once this many hosts have begun their restart: the second wave is running.</summary>
    private const int ControllerKillAfter = 12;

    private int _releases;

    public async Task<int> RunAsync()
    {
        var runs = quick ? 1 : 3;
        var loadBefore = Load();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hosts benchmark: {HostsWorld.HostCount} hosts, v2 -> v1, fleet concurrency {HostsWorld.Concurrency}; {runs} run(s) of each case, then the drill; load average {loadBefore}"));
        var results = new List<CaseRun>();
        DrillRun drill;
        try
        {
            await using var world = await HostsWorld.CreateAsync(repository);
            using var ssh = await SshBaseline.StartAsync(world);
            for (var run = 1; run <= runs; run++)
            {
                results.Add(await RewindCaseAsync(world, run));
                results.Add(await SshCaseAsync(world, SshLoop, ssh.LoopScript, run));
                results.Add(await SshCaseAsync(world, SshParallel, ssh.ParallelScript, run));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}/{runs}: ") + string.Join(", ", results.TakeLast(3).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Case} {r.AllV1Seconds:0.000}s"))));
            }

            drill = await DrillAsync(world);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine("hosts benchmark FAILED: " + ex.Message);
            Console.Error.WriteLine($"(controller and agent logs: {Path.Combine(Path.GetTempPath(), "rewind-bench-hosts.log")})");
            return 1;
        }

        new HostsReport(repository, results, drill, runs, loadBefore, Load()).Write();
        return 0;
    }

    private async Task<CaseRun> RewindCaseAsync(HostsWorld world, int run)
    {
        await PrepareAsync(world);
        var t0 = DateTimeOffset.UtcNow;
        var watch = FleetWatch.WatchAsync(world, HostsWorld.Deadline);
        var started = await world.Client.RequestRollbackAsync(new RollbackRequest("web", "hosts benchmark", "v1"));
        var hosts = await watch;
        var rollback = await FinishedAsync(world, started.Id);
        var members = await world.Client.GetMembersAsync(rollback.Id, 0);
        rollback.Status.Equals("succeeded", StringComparison.Ordinal).Check($"rollback {rollback.Id} ({rollback.Status}: {rollback.Error}; {rollback.Steps[0].Output})");
        var result = CaseRun.Of(Rewind, run, t0, hosts, rollback.FinishedAt!.Value, world.Hosts.Select(h => world.Restarts(h).Count).ToArray(), rollback.Status) with
        {
            Phases = RewindPhases.Of(t0, rollback, members, hosts),
        };
        return result.WithMembers(t0, members).Check();
    }

    private static async Task<CaseRun> SshCaseAsync(HostsWorld world, string name, string script, int run)
    {
        await world.ResetToBadAsync();
        var t0 = DateTimeOffset.UtcNow;
        var watch = FleetWatch.WatchAsync(world, HostsWorld.Deadline);
        using var process = SshBaseline.Run(script);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(HostsWorld.Deadline))
        {
            await process.WaitForExitAsync(limit.Token);
        }

        var exited = DateTimeOffset.UtcNow;
        var hosts = await watch;
        (process.ExitCode == 0).Check($"{name}: exit {process.ExitCode}: {await stderr}");
        return CaseRun.Of(name, run, t0, hosts, exited, world.Hosts.Select(h => world.Restarts(h).Count).ToArray(), "exit 0").Check();
    }

    /// <summary>
    /// The drill, with <c>max-failed: 1</c> (the host whose agent dies mid-restart is reported unknown and fails, by
    /// design): the first host after h01 to begin its restart has its agent SIGKILLed and started again on the same journal; once
    /// <see cref="ControllerKillAfter"/> hosts began theirs, the controller is SIGKILLed and started again on the same store.
    /// </summary>
    private async Task<DrillRun> DrillAsync(HostsWorld world)
    {
        await world.ReconfigureAsync(maxFailed: 1);
        await PrepareAsync(world);
        var t0 = DateTimeOffset.UtcNow;
        using var stopWatching = new CancellationTokenSource();
        var watch = FleetWatch.WatchAsync(world, HostsWorld.Deadline, stopWatching.Token);
        var started = await world.Client.RequestRollbackAsync(new RollbackRequest("web", "hosts benchmark drill", "v1"));

        string? victim = null;
        // not h01: its service is the component's probe, and the plan's wait-healthy would wait on a host left unknown
        await Until(() => (victim = world.Hosts.Skip(1).FirstOrDefault(h => world.Restarts(h).Count > 0)) is not null, "a host to begin its restart");
        world.KillAndRestartAgent(victim!);
        var agentKilled = DateTimeOffset.UtcNow;
        Console.Error.WriteLine($"drill: agent of {victim} SIGKILLed {(agentKilled - t0).TotalSeconds:0.000}s after the request, started again");

        await Until(() => world.Hosts.Count(h => world.Restarts(h).Count > 0) >= ControllerKillAfter, $"{ControllerKillAfter} hosts to begin their restart");
        world.KillAndRestartController();
        var controllerKilled = DateTimeOffset.UtcNow;
        Console.Error.WriteLine($"drill: controller SIGKILLed {(controllerKilled - t0).TotalSeconds:0.000}s after the request, started again");

        var rollback = await FinishedAsync(world, started.Id);
        var members = await world.Client.GetMembersAsync(rollback.Id, 0);
        stopWatching.CancelAfter(TimeSpan.FromSeconds(30)); // a host left stopped never answers v1
        var hosts = await watch;
        var restarts = world.Hosts.Select(h => world.Restarts(h).Count).ToArray();
        return new DrillRun(
            CaseRun.Of("drill", 1, t0, hosts, rollback.FinishedAt!.Value, restarts, rollback.Status).WithMembers(t0, members),
            victim!,
            (agentKilled - t0).TotalSeconds,
            (controllerKilled - t0).TotalSeconds,
            rollback.Status,
            rollback.Error,
            rollback.Steps[0].Output,
            rollback.Steps[0].Attempts,
            members.ToDictionary(m => m.Member, m => m.Status, StringComparer.Ordinal),
            members.FirstOrDefault(m => m.Member == victim)?.Output);
    }

    /// <summary>Every host on v2 again, a new bad release recorded, the twenty agents connected.</summary>
    private async Task PrepareAsync(HostsWorld world)
    {
        await world.ResetToBadAsync();
        await world.RecordBadAsync(string.Create(CultureInfo.InvariantCulture, $"v2-{++_releases}"));
        await world.WaitAgentsConnectedAsync();
    }

    private static async Task<RollbackDto> FinishedAsync(HostsWorld world, string id)
    {
        RollbackDto? done = null;
        await Wait.UntilAsync(async () => (done = await world.Client.GetRollbackAsync(id)) is { Status: "succeeded" or "failed" }, $"rollback {id} to finish", world.Logs);
        return done!;
    }

    /// <summary>A condition on the hosts' files, checked every 5 ms (a file stat is cheap) until the deadline.</summary>
    private static async Task Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > HostsWorld.Deadline)
            {
                throw new TimeoutException($"hosts benchmark: timed out waiting for {what}");
            }

            await Task.Delay(5);
        }
    }

    private static string Load() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
