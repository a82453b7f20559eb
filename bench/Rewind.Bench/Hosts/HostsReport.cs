using System.Globalization;
using System.Text.Json;

namespace Rewind.Bench.Hosts;

/// <summary>The table, <c>bench/results/hosts.json</c> and the headline line of the hosts benchmark.</summary>
internal sealed class HostsReport(string repository, IReadOnlyList<CaseRun> results, DrillRun drill, int runs, string loadBefore, string loadAfter)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public void Write()
    {
        var labels = new (string Case, string Label)[]
        {
            (HostsBenchmark.Rewind, F($"rewind fleet (20 agents, concurrency {HostsWorld.Concurrency})")),
            (HostsBenchmark.SshLoop, "ssh loop (one host at a time)"),
            (HostsBenchmark.SshParallel, F($"ssh parallel (xargs -P {HostsWorld.Concurrency})")),
        };
        var stats = labels.ToDictionary(l => l.Case, l => Stats.Of([.. Of(l.Case).Select(r => r.AllV1Seconds)]), StringComparer.Ordinal);
        Console.WriteLine();
        Console.WriteLine(F($"| case ({runs} run(s); median) | all 20 on v1 | min | max | done | first restart | last restart | restart -> v1 (median host) | double actions |"));
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (name, label) in labels)
        {
            var mine = Of(name);
            var all = stats[name];
            Console.WriteLine(F($"| {label} | {all.Median:0.000} s | {all.Min:0.000} s | {all.Max:0.000} s | {Med(mine, r => r.DoneSeconds):0.000} s | {Med(mine, r => r.FirstRestartSeconds):0.000} s | {Med(mine, r => r.LastRestartSeconds):0.000} s | {Med(mine, r => r.RestartToV1MedianSeconds):0.000} s | {mine.Sum(r => r.DoubleActions)} |"));
        }

        var d = drill.Run;
        Console.WriteLine(F($"| drill: rewind fleet, max-failed: 1; agent of {drill.Victim} SIGKILLed at {drill.AgentKilledSeconds:0.000} s as its restart began, and restarted, controller SIGKILLed at {drill.ControllerKilledSeconds:0.000} s and restarted | {(double.IsNaN(d.AllV1Seconds) ? F($"{d.HostsOnV1} of 20 on v1") : F($"{d.AllV1Seconds:0.000} s"))} | | | {d.DoneSeconds:0.000} s ({drill.Status}) | {d.FirstRestartSeconds:0.000} s | {d.LastRestartSeconds:0.000} s | {d.RestartToV1MedianSeconds:0.000} s | {d.DoubleActions} |"));
        Console.WriteLine("done: rewind, the rollback reported finished (after the plan's wait-healthy on h01); ssh, the script exited. Restart times are the");
        Console.WriteLine("wrappers' count-file lines; double actions: the sum over hosts of (restarts - 1) where > 0.");
        var phases = RewindPhases.Median([.. Of(HostsBenchmark.Rewind).Select(r => r.Phases).OfType<RewindPhases>()]);
        if (phases is not null)
        {
            Console.WriteLine(F($"rewind, where the time goes (median s): request -> fleet step started {phases.ToFleetStep:0.000}; fleet step {phases.FleetStep:0.000}; per host, marked started -> restart begins {phases.HandoffMedian:0.000} (hand-off: attempt stored, agent woken, switch), marked started -> report read back {phases.SlotMedian:0.000} (the host's slot); fleet step done -> rollback finished {phases.AfterFleetStep:0.000}"));
        }

        Console.WriteLine(F($"drill: {drill.Status}; fleet step ({drill.FleetStepAttempts} attempt(s)): {drill.FleetOutput}"));
        Console.WriteLine(F($"drill: {drill.Victim} ended {drill.Members.GetValueOrDefault(drill.Victim, "?")}: {FirstLine(drill.VictimOutput)}"));
        Console.WriteLine(F($"drill: members {string.Join(", ", drill.Members.GroupBy(m => m.Value, StringComparer.Ordinal).Select(g => F($"{g.Count()} {g.Key}")))}; restarts per host [{string.Join(' ', d.Restarts)}]; {d.HostsOnV1} of 20 answering v1"));
        Console.WriteLine(F($"load average before {loadBefore}, after {loadAfter}"));

        var fleet = stats[HostsBenchmark.Rewind].Median;
        var loop = stats[HostsBenchmark.SshLoop].Median;
        var parallel = stats[HostsBenchmark.SshParallel].Median;
        var unknown = drill.Members.Count(m => m.Value != "succeeded");
        var line = F($"ratio_vs_ssh_loop={fleet / loop:0.000} ratio_vs_ssh_parallel={fleet / parallel:0.000} fleet_s={fleet:0.000} ssh_loop_s={loop:0.000} ssh_parallel_s={parallel:0.000} double_actions={d.DoubleActions} double_actions_timed_cases={results.Sum(r => r.DoubleActions)} drill_status={drill.Status} drill_hosts_not_succeeded={unknown} drill_hosts_on_v1={d.HostsOnV1} hosts={HostsWorld.HostCount} concurrency={HostsWorld.Concurrency} runs={runs}");
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "hosts.json"), JsonSerializer.Serialize(new
        {
            benchmark = "hosts",
            runs,
            scenario = new { hosts = HostsWorld.HostCount, concurrency = HostsWorld.Concurrency, from = "v2", to = "v1", drillMaxFailed = 1 },
            allV1Seconds = stats,
            rewindPhasesMedianSeconds = phases,
            ratioVsSshLoop = fleet / loop,
            ratioVsSshParallel = fleet / parallel,
            drill,
            load = new { before = loadBefore, after = loadAfter },
            raw = results,
            line,
        }, Json));
        Console.WriteLine(line);
    }

    private List<CaseRun> Of(string name) => [.. results.Where(r => r.Case == name)];

    private static double Med(IReadOnlyList<CaseRun> runs, Func<CaseRun, double> of) => Stats.Of([.. runs.Select(of)]).Median;

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n')[0];

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
