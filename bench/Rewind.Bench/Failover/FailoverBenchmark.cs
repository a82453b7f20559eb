using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rewind.Client;

namespace Rewind.Bench.Failover;

/// <summary>
/// <c>bench/run failover</c>: three replicas on one real PostgreSQL, the sample service, a rollback in progress, and the
/// leader (1) SIGKILLed the moment its switch lands, (2) SIGTERMed, (3) SIGSTOPped then SIGCONTed after the takeover.
/// Measured from the database's own record (the lease row, the steps' start times, an audit trigger naming the session
/// of every committed write), against the leases of Argo Rollouts (15 s), Flagger (60 s), Quartz's 7.5 s check-in and
/// Rundeck's takeover (about 6 minutes).
/// </summary>
internal sealed class FailoverBenchmark(bool quick, string repository)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<Round> _rounds = [];
    private int _deploys;

    public async Task<int> RunAsync()
    {
        await using var world = await FailoverWorld.CreateAsync(repository);
        foreach (var name in new[] { "a", "b", "c" })
        {
            world.Start(name);
            await WaitAsync(async () => (await world.Replicas[name].Client.GetHealthAsync()).Status == "ok", $"replica {name} to answer");
        }

        await world.Replicas["a"].Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await WaitAsync(async () => (await world.Replicas["b"].Client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), "v1 to become stable");
        await world.ScalarAsync<int>(AuditSql.Install);
        for (var i = 0; i < (quick ? 1 : 3); i++)
        {
            var round = new Round();
            round.Crash = await CrashAsync(world);
            round.Handover = await HandoverAsync(world);
            round.Partition = await PartitionAsync(world);
            _rounds.Add(round);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {i + 1}: crash {round.Crash.Seconds:0.00} s, handover {round.Handover.Seconds:0.00} s, partition {round.Partition.Seconds:0.00} s, stale writes {round.Partition.StaleWrites}"));
        }

        return await ReportAsync(world);
    }

    /// <summary>SIGKILL the leader the instant its switch lands; until the resumed rollback's next step starts under the new leader.</summary>
    private async Task<Case> CrashAsync(FailoverWorld world)
    {
        var leader = await LeaderAsync(world);
        var epoch = (await world.LeaseAsync()).Epoch;
        using var watcher = new FileSystemWatcher(world.App) { NotifyFilter = NotifyFilters.FileName, Filter = "current" };
        var killed = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        await DeployAsync(world, leader);
        var id = await RunningRollbackAsync(world);
        watcher.Renamed += (_, _) =>
        {
            if (!killed.Task.IsCompleted)
            {
                leader.Signal("KILL");
                killed.TrySetResult(DateTimeOffset.UtcNow);
            }
        };
        watcher.EnableRaisingEvents = true;
        var at = await killed.Task.WaitAsync(FailoverWorld.Deadline);
        var taken = await TakenAfterAsync(world, epoch, at);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crash: lease taken over {(taken - at).TotalSeconds:0.00} s after the kill"));
        var steps = await FinishedAsync(world, id);

        var next = DateTimeOffset.FromUnixTimeMilliseconds(steps[2].StartedAt); // the switch's restart, run by the new leader
        world.Start(leader.Name);
        return new Case((next - at).TotalSeconds, steps[1].Attempts - 1, steps[1].Output.Contains("not run again", StringComparison.Ordinal) ? 1 : 0, 0);
    }

    /// <summary>SIGTERM the leader during the rollback's first step; until another replica holds the lease.</summary>
    private async Task<Case> HandoverAsync(FailoverWorld world)
    {
        var leader = await LeaderAsync(world);
        var epoch = (await world.LeaseAsync()).Epoch;
        await DeployAsync(world, leader);
        var id = await RunningRollbackAsync(world);
        var at = DateTimeOffset.UtcNow;
        leader.Signal("TERM");
        var taken = await TakenAfterAsync(world, epoch, at);
        await leader.WaitForExitAsync(FailoverWorld.Deadline);
        var steps = await FinishedAsync(world, id);
        world.Start(leader.Name);
        return new Case((taken - at).TotalSeconds, Math.Max(0, steps[1].Attempts - 1), 0, 0);
    }

    /// <summary>SIGSTOP the leader during the rollback's first step; until another replica holds the lease; then SIGCONT it and count its writes accepted after the takeover.</summary>
    private async Task<Case> PartitionAsync(FailoverWorld world)
    {
        var leader = await LeaderAsync(world);
        var epoch = (await world.LeaseAsync()).Epoch;
        await DeployAsync(world, leader);
        var id = await RunningRollbackAsync(world);
        var at = DateTimeOffset.UtcNow;
        leader.Signal("STOP");
        DateTimeOffset taken;
        try
        {
            taken = await TakenAfterAsync(world, epoch, at);
        }
        finally
        {
            leader.Signal("CONT");
        }

        await WaitAsync(() => Task.FromResult(leader.Output.Contains($"Replica {leader.Name} stopped leading (epoch {epoch})", StringComparison.Ordinal)), "the thawed leader to step down");
        var steps = await FinishedAsync(world, id);
        var stale = await world.ScalarAsync<long>(AuditSql.AfterTakeover(epoch, taken));
        return new Case((taken - at).TotalSeconds, Math.Max(0, steps[1].Attempts - 1), 0, stale);
    }

    private async Task DeployAsync(FailoverWorld world, ReplicaProcess leader)
    {
        _deploys++;
        await world.DeployBrokenAsync(_deploys, world.Replicas.Values.First(r => r != leader && !r.HasExited).Name);
    }

    private static async Task<ReplicaProcess> LeaderAsync(FailoverWorld world)
    {
        string? holder = null;
        await WaitAsync(async () => (holder = (await world.LeaseAsync()).Holder) is not null && world.Replicas.ContainsKey(holder), "a leader");
        var leader = world.Replicas[holder!];
        await WaitAsync(async () => world.Replicas.Values.All(r => r.HasExited) || (await Task.WhenAll(world.Replicas.Values.Where(r => !r.HasExited).Select(FollowsAsync))).All(f => f), "every replica to see the leader");
        return leader;

        static async Task<bool> FollowsAsync(ReplicaProcess r)
        {
            try
            {
                return (await r.Client.GetHealthAsync()).Leadership?.Leader is not null;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RewindApiException)
            {
                Console.Error.WriteLine($"replica {r.Name}: {ex.Message}");
                return false;
            }
        }
    }

    private static async Task<string> RunningRollbackAsync(FailoverWorld world)
    {
        string? id = null;
        await WaitAsync(async () => (id = await world.ScalarAsync<string?>("SELECT max(r.id) FROM rollbacks r JOIN rollback_steps s ON s.rollback_id = r.id WHERE r.status = 'running' AND s.idx = 0 AND s.status = 'running'")) is not null, "a rollback in its first step");
        return id!;
    }

    private static async Task<DateTimeOffset> TakenAsync(FailoverWorld world, long epoch)
    {
        DateTimeOffset? taken = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < FailoverWorld.Deadline)
        {
            var lease = await world.LeaseAsync();
            if (lease.Epoch > epoch && lease.AcquiredAt is { } at)
            {
                taken = at;
                break;
            }

            await Task.Delay(10);
        }

        return taken ?? throw new TimeoutException("no replica took the lease over");
    }

    /// <summary>The lease taken over after the fault at <paramref name="at"/>, not before it (then the run measured nothing).</summary>
    private static async Task<DateTimeOffset> TakenAfterAsync(FailoverWorld world, long epoch, DateTimeOffset at)
    {
        var taken = await TakenAsync(world, epoch);
        return taken >= at.AddMilliseconds(-50) // the database's clock and this one are the same host's
            ? taken
            : throw new InvalidOperationException($"failover benchmark: the leader changed {(at - taken).TotalSeconds:0.00} s before the fault was injected; the run measures nothing");
    }

    private static async Task<IReadOnlyList<StepRow>> FinishedAsync(FailoverWorld world, string id)
    {
        await WaitAsync(async () => await world.ScalarAsync<string>($"SELECT status FROM rollbacks WHERE id = '{id}'") is "succeeded" or "failed", $"rollback {id} to finish");
        var status = await world.ScalarAsync<string>($"SELECT status FROM rollbacks WHERE id = '{id}'");
        status.Equals("succeeded", StringComparison.Ordinal).ShouldBeTrueOr($"rollback {id} to succeed (it {status})");
        var json = await world.ScalarAsync<string>($"SELECT json_agg(json_build_object('idx', idx, 'attempts', attempts, 'started', started_at, 'output', coalesce(output, '')) ORDER BY idx)::text FROM rollback_steps WHERE rollback_id = '{id}'");
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => new StepRow(e.GetProperty("attempts").GetInt32(), e.GetProperty("started").GetInt64(), e.GetProperty("output").GetString()!))];
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < FailoverWorld.Deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Npgsql.NpgsqlException or RewindApiException)
            {
                // not yet
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"failover benchmark: timed out waiting for {what}");
    }

    private async Task<int> ReportAsync(FailoverWorld world)
    {
        var incidents = await world.ScalarAsync<long>("SELECT count(*) FROM incidents");
        // the same failure seen by two replicas: two incidents of one component opened within 5 s of each other
        var duplicateIncidents = await world.ScalarAsync<long>("SELECT count(*) FROM incidents a JOIN incidents b ON a.component = b.component AND a.id < b.id AND abs(a.opened_at - b.opened_at) < 5000");
        var rollbacks = await world.ScalarAsync<long>("SELECT count(*) FROM rollbacks");
        var duplicateNotifications = await world.ScalarAsync<long>("SELECT count(*) - count(DISTINCT (channel, incident_id, event, text)) FROM notification_outbox");
        var worst = (Crash: _rounds.Max(r => r.Crash.Seconds), Handover: _rounds.Max(r => r.Handover.Seconds), Partition: _rounds.Max(r => r.Partition.Seconds));
        var stale = _rounds.Sum(r => r.Partition.StaleWrites);
        var doubles = _rounds.Sum(r => r.Crash.DoubleRuns + r.Handover.DoubleRuns + r.Partition.DoubleRuns);
        var verified = _rounds.Sum(r => r.Crash.FoundInPlace);
        Console.WriteLine();
        Console.WriteLine("| case | rewind (worst of runs) | goal | Argo Rollouts | Flagger | Quartz | Rundeck |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| leader SIGKILLed mid-rollback -> next step under the new leader | {worst.Crash:0.00} s | <= 2 s | 15 s lease | 60 s lease | 7.5 s check-in | ~6 min |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| leader SIGSTOPped -> lease taken over | {worst.Partition:0.00} s | <= {FailoverWorld.Lease.TotalSeconds + 1:0} s (lease {FailoverWorld.LeaseText} + 1 s) | 15 s | 60 s | 7.5 s | ~6 min |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| leader SIGTERMed -> lease taken over | {worst.Handover:0.00} s | <= 1 s | 15 s | 60 s | 7.5 s | ~6 min |"));
        Console.WriteLine($"stale writes {stale}, incidents {incidents} for {_deploys} bad deploys ({duplicateIncidents} opened twice for one failure), rollbacks {rollbacks}, duplicate notifications {duplicateNotifications}, double step runs {doubles} (switches found in place after the kill: {verified} of {_rounds.Count})");
        var line = string.Create(CultureInfo.InvariantCulture, $"ratio_crash_vs_argo_lease={worst.Crash / 15:0.000} ratio_partition_vs_argo_lease={worst.Partition / 15:0.000} crash_failover_s={worst.Crash:0.00} partition_failover_s={worst.Partition:0.00} handover_s={worst.Handover:0.00} stale_writes={stale} duplicate_incidents={duplicateIncidents} duplicate_notifications={duplicateNotifications} double_step_runs={doubles} lease_s={FailoverWorld.Lease.TotalSeconds:0} runs={_rounds.Count}");
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        await File.WriteAllTextAsync(Path.Combine(repository, "bench", "results", "failover.json"), JsonSerializer.Serialize(new { rounds = _rounds, incidents, duplicateIncidents, rollbacks, deploys = _deploys, duplicateNotifications, line }, Indented));
        Console.WriteLine(line);
        return 0;
    }

    private sealed record StepRow(int Attempts, long StartedAt, string Output);

    /// <summary>One failover: its time, steps whose effect could be read that ran twice, switches found in place, writes of the old term accepted after the takeover.</summary>
    internal sealed record Case(double Seconds, int DoubleRuns, int FoundInPlace, long StaleWrites);

    internal sealed class Round
    {
        public Case Crash { get; set; } = new(0, 0, 0, 0);

        public Case Handover { get; set; } = new(0, 0, 0, 0);

        public Case Partition { get; set; } = new(0, 0, 0, 0);
    }
}

/// <summary>Who committed which write, recorded by the database: a statement trigger on every table names the writing session.</summary>
internal static class AuditSql
{
    public const string Install = """
        CREATE TABLE write_audit (app text NOT NULL, tbl text NOT NULL, at timestamptz NOT NULL);
        CREATE FUNCTION write_audit_note() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO write_audit VALUES (current_setting('application_name'), TG_TABLE_NAME, clock_timestamp());
            RETURN NULL;
        END $$;
        DO $$
        DECLARE t text;
        BEGIN
            FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'write_audit' LOOP
                EXECUTE format('CREATE TRIGGER write_audit AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION write_audit_note()', t);
            END LOOP;
        END $$;
        SELECT 1;
        """;

    /// <summary>Writes of the leader of <paramref name="epoch"/> committed after the lease was taken from it.</summary>
    public static string AfterTakeover(long epoch, DateTimeOffset taken) => string.Create(CultureInfo.InvariantCulture,
        $"SELECT count(*) FROM write_audit WHERE app LIKE 'rewind-leader:{epoch}:%' AND at > '{taken:O}'::timestamptz");
}
