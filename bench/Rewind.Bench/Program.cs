using Rewind.Bench;

var names = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["batch"] = "127 functions behind a quota of 10 concurrent calls, 0.5 s each, 2 % transient failures: rewind's batch step vs a sequential script loop vs the quota bound",
    ["detection"] = "detector quality on seeded request streams: sequential test vs fixed threshold vs SRE burn-rate alerts, delays and false alarms",
    ["pipeline"] = "end to end against the usual pipeline: one bad deploy watched by rewind and by Prometheus + Alertmanager (typical and tuned), fault -> action",
    ["probes"] = "HTTP probe capacity against a local service: rewind vs blackbox_exporter vs wrk alone, probes/s and CPU per probe",
    ["restore"] = "point-in-time restore of a generated 1.5 GB pgbench database: rewind vs pgbackrest restore vs pg_restore -j 2, until the restored server is out of recovery",
    ["verify"] = "backup verification throughput on a base backup of the generated database: rewind's quick verification vs sha256sum over the same files",
    ["dashboard"] = "the dashboard in Chromium: first paint of the overview vs a one-line page from bare Kestrel, and a change on screen vs the same change as a raw server-sent event",
    ["deploys"] = "ordinary deploys of 10+ components (healthy, 3x errors, slow, down; restart gaps, late or missing records) while stress-ng overloads the host: rewind vs a naive threshold watcher on a twin fleet, wrong decisions and detection",
    ["failover"] = "three replicas on one PostgreSQL, a rollback in progress: the leader SIGKILLed, SIGTERMed, SIGSTOPped then thawed; time to the next step under the new leader, stale writes, duplicates, steps run twice; beside Argo Rollouts', Flagger's, Quartz's and Rundeck's takeover",
    ["hosts"] = "a fleet of 20 hosts, each its own release dir, sample service and agent: rewind's fleet step (concurrency 10) vs a Capistrano-style ssh loop through OpenSSH, one at a time and 10 at a time, until all answer v1; a drill SIGKILLs an agent and the controller mid-fleet and counts double restarts",
    ["scale"] = "N components (500 to 10,000) at 1 s HTTP probes against nginx, end to end through a real controller: samples/s, CPU ms per sample, p99 probe lateness, false failures, store bytes per sample; beside Prometheus + blackbox_exporter probing the same targets; the capacity and twice it",
    ["recovery"] = "release-dir: fault -> detection, and decision -> back on the last known good and healthy, against the bare operations and a hand-written script; a full plan restoring traffic 25/50/75/100 % behind HAProxy against the same operations done bare",
};

if (args.Length == 0 || args[0] is "--list" or "-h" or "--help")
{
    foreach (var (name, what) in names)
    {
        Console.WriteLine($"{name,-10} {what}");
    }

    return args.Length == 0 ? 2 : 0;
}

var quick = args.Contains("--quick", StringComparer.Ordinal);
return args[0] switch
{
    "recovery" => await new RecoveryBenchmark(quick).RunAsync(),
    "failover" => await new Rewind.Bench.Failover.FailoverBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "batch" => await new Rewind.Bench.Batch.BatchBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "pipeline" => await new Rewind.Bench.Pipeline.PipelineBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "probes" => await new ProbesBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "restore" => await new Rewind.Bench.Backups.RestoreBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "verify" => await new Rewind.Bench.Backups.VerifyBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "dashboard" => await new Rewind.Bench.Dashboard.DashboardBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "deploys" => await new Rewind.Bench.Deploys.DeploysBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "hosts" => await new Rewind.Bench.Hosts.HostsBenchmark(quick, RecoveryBenchmark.FindRepository()).RunAsync(),
    "scale" => await new Rewind.Bench.Scale.ScaleBenchmark(quick, RecoveryBenchmark.FindRepository(), args).RunAsync(),
    "detection" => new Rewind.Bench.Detection.DetectionBenchmark(quick, RecoveryBenchmark.FindRepository()).Run(),
    _ => Fail($"unknown benchmark '{args[0]}'; bench/run --list names them"),
};

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
