using System.Diagnostics;
using System.Globalization;
using Rewind.Client;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;
using Xunit.Abstractions;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// Two real controller processes on one real PostgreSQL store: one leads, the other takes over when the leader is
/// killed (SIGKILL), frozen (SIGSTOP, then SIGCONT: none of its writes is accepted after the takeover) or stopped
/// (SIGTERM); a bad deploy watched by both opens one incident and one rollback. Takeover times are printed, not asserted:
/// the goals are checked by <c>./bench/run failover</c>.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LeaderKilledMidRollback_FollowerResumesIt_OneIncidentOneRollbackNoSecondSwitch()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var deployment = new Deployment();
        deployment.Install("v1", "none", startupDelayMs: 4000); // a wide window to kill in, during wait-healthy
        deployment.Install("v2", "broken");
        deployment.PointCurrentAt("v1");
        WriteReplicaConfig(deployment, database.Url);
        (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        using var service = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.WaitAsync(async () => (await service.GetAsync(new Uri(deployment.ServiceUrl + "/health"))).IsSuccessStatusCode, Deadline, "v1 to finish starting");
        var token = await RewindProcess.InitAccessAsync(deployment.ConfigPath);
        var (a, b, clientA, clientB) = await StartPairAsync(deployment, token);
        using (a)
        using (b)
        {
            await clientA.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
            await Eventually.WaitAsync(async () => (await clientB.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");
            Rewind.Runtime.Releases.ReleaseDirectory.Switch(deployment.AppRoot, "v2").Succeeded.ShouldBeTrue();
            (await deployment.ServiceCtlAsync("restart")).Succeeded.ShouldBeTrue();
            await clientB.RecordReleaseAsync("web", new RecordReleaseRequest("v2")); // through the follower

            var waiting = await Eventually.WaitAsync(
                async () => (await clientB.GetRollbacksAsync()).FirstOrDefault(r => r.Steps.Count == 3 && r.Steps[0].Status == "succeeded" && r.Steps[2].Status == "running"),
                Deadline,
                "the rollback to be inside its wait-healthy step");
            var inode = Inode(Path.Combine(deployment.AppRoot, "current"));
            var killed = Stopwatch.StartNew();
            a.KillHard();
            await WaitForLeaderAsync(clientB, "b", b);
            output.WriteLine($"crash takeover: b leads {killed.Elapsed.TotalSeconds:0.00} s after a was killed");

            var finished = await Eventually.WaitAsync(
                async () => await clientB.GetRollbackAsync(waiting.Id) is { Status: "succeeded" or "failed" } r ? r : null,
                Deadline,
                "the resumed rollback to finish under b");
            finished.Status.ShouldBe("succeeded", b.Output);
            finished.Steps.Select(s => (s.Kind, s.Attempts)).ShouldBe([("switch", 1), ("restart", 1), ("wait-healthy", 2)]);
            Inode(Path.Combine(deployment.AppRoot, "current")).ShouldBe(inode, "the current symlink was replaced again after the takeover");
            (await clientB.GetRollbacksAsync()).Count.ShouldBe(1);
            (await clientB.GetIncidentsAsync()).Count.ShouldBe(1, "two replicas watched the bad deploy; one incident");
            b.Output.ShouldContain("Replica b leads now");
        }
    }

    [Fact]
    public async Task LeaderFrozenThenThawed_FollowerTakesOverAfterTheLease_NoWriteOfTheOldTermAccepted()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var deployment = new Deployment();
        deployment.Install("v1", "none");
        deployment.PointCurrentAt("v1");
        WriteReplicaConfig(deployment, database.Url);
        (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        var token = await RewindProcess.InitAccessAsync(deployment.ConfigPath);
        var (a, b, clientA, clientB) = await StartPairAsync(deployment, token);
        using (a)
        using (b)
        {
            var before = (await clientB.GetHealthAsync()).Leadership!.Epoch;
            await WriteAudit.InstallAsync(database);
            await Eventually.WaitAsync(async () => await WriteAudit.AcceptedAsync(database, before) > 0, Deadline, "a to write as leader");
            var frozen = Stopwatch.StartNew();
            a.Signal("STOP");
            long after;
            try
            {
                await WaitForLeaderAsync(clientB, "b", b);
                output.WriteLine($"partition takeover: b leads {frozen.Elapsed.TotalSeconds:0.00} s after a was frozen (lease 2s)");
                after = (await clientB.GetHealthAsync()).Leadership!.Epoch;

                // b also takes over a's share of the components once it ran out, and writes their samples as the new
                // leader (after the thaw they may go back to a, which then writes them as a follower, unfenced)
                await Eventually.WaitAsync(async () => await WriteAudit.AcceptedAsync(database, after) > 0, Deadline, "b to write as the new leader");
            }
            finally
            {
                a.Signal("CONT");
            }

            await Eventually.WaitAsync(() => Task.FromResult(a.Output.Contains("Replica a stopped leading", StringComparison.Ordinal)), Deadline, "a to see it no longer leads");
            await Eventually.WaitAsync(async () => (await clientA.GetHealthAsync()).Leadership!.Role == "follower", Deadline, "a to answer as a follower");
            after.ShouldBeGreaterThan(before);
            (await WriteAudit.AcceptedAfterTakeoverAsync(database, before, after)).ShouldBe(0, a.Output);
        }
    }

    [Fact]
    public async Task LeaderTerminated_ReleasesTheLease_FollowerLeadsAtOnce()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var deployment = new Deployment();
        deployment.Install("v1", "none");
        deployment.PointCurrentAt("v1");
        WriteReplicaConfig(deployment, database.Url, lease: "30s"); // a handover that waited for the lease would time out here
        (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        var token = await RewindProcess.InitAccessAsync(deployment.ConfigPath);
        var (a, b, _, clientB) = await StartPairAsync(deployment, token);
        using (a)
        using (b)
        {
            var stopped = Stopwatch.StartNew();
            a.Terminate();
            await WaitForLeaderAsync(clientB, "b", b, TimeSpan.FromSeconds(20));
            output.WriteLine($"handover: b leads {stopped.Elapsed.TotalSeconds:0.00} s after a was sent SIGTERM (lease 30s)");
            (await a.WaitForExitAsync(Deadline)).ShouldBe(0, a.Output);
            var health = await clientB.GetHealthAsync();
            health.Leadership!.Replicas.Select(r => r.Name).ShouldBe(["b"], "a stopped cleanly and said so");
        }
    }

    /// <summary>A two-replica config: the deployment's, with a short lease.</summary>
    private static void WriteReplicaConfig(Deployment deployment, string store, string lease = "2s")
    {
        deployment.WriteConfig(store);
        File.WriteAllText(deployment.ConfigPath, File.ReadAllText(deployment.ConfigPath).Replace("server:\n", $"server:\n  leader-lease: {lease}\n", StringComparison.Ordinal));
    }

    /// <summary>Starts replica a on the deployment's port, waits until it leads, then starts b on a port of its own.</summary>
    private static async Task<(RewindProcess A, RewindProcess B, RewindClient ClientA, RewindClient ClientB)> StartPairAsync(Deployment deployment, string token)
    {
        var a = RewindProcess.Start("serve", "--config", deployment.ConfigPath, "--replica", "a");
        var clientA = Client(deployment.ApiUrl, token);
        await WaitForLeaderAsync(clientA, "a", a);
        var portB = SampleRelease.FreeLoopbackPort();
        var urlB = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{portB}");
        var b = RewindProcess.Start("serve", "--config", deployment.ConfigPath, "--replica", "b", "--listen", urlB);
        var clientB = Client(urlB, token);
        await Eventually.WaitAsync(async () => (await clientB.GetHealthAsync()).Leadership is { Role: "follower", Leader: "a" }, Deadline, "b to follow a");
        return (a, b, clientA, clientB);
    }

    private static async Task WaitForLeaderAsync(RewindClient client, string replica, RewindProcess process, TimeSpan? deadline = null)
    {
        try
        {
            await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Leadership is { Role: "leader" } l && l.Replica == replica, deadline ?? Deadline, $"{replica} to lead");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{process.Output}", ex);
        }
    }

    private static RewindClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return new RewindClient(http);
    }

    private static string Inode(string path)
    {
        var info = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false, ArgumentList = { "-c", "%i", path } };
        using var process = Process.Start(info)!;
        var inode = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return inode;
    }
}

/// <summary>
/// Who wrote what, seen from the database itself: a statement trigger on every table of the store records the writing
/// session's application name and the time of each write that commits (a refused write rolls its record back with it).
/// A leader's sessions are named <c>rewind-leader:EPOCH:REPLICA</c>.
/// </summary>
internal static class WriteAudit
{
    private const string Install = """
        CREATE TABLE IF NOT EXISTS write_audit (app text NOT NULL, tbl text NOT NULL, at timestamptz NOT NULL);
        CREATE OR REPLACE FUNCTION write_audit_note() RETURNS trigger LANGUAGE plpgsql AS $$
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
        """;

    public static Task InstallAsync(PostgresDatabase database) => database.ExecuteInsideAsync(Install);

    /// <summary>Writes of epoch <paramref name="old"/> committed after epoch <paramref name="current"/> took the lease.</summary>
    public static async Task<long> AcceptedAfterTakeoverAsync(PostgresDatabase database, long old, long current) =>
        (long)(await database.ExecuteInsideAsync($"""
            SELECT count(*) FROM write_audit
            WHERE app LIKE 'rewind-leader:{old}:%' AND at > (SELECT acquired_at FROM controller_lease WHERE id = 1 AND epoch = {current})
            """))!;

    /// <summary>Writes committed under epoch <paramref name="epoch"/>.</summary>
    public static async Task<long> AcceptedAsync(PostgresDatabase database, long epoch) =>
        (long)(await database.ExecuteInsideAsync($"SELECT count(*) FROM write_audit WHERE app LIKE 'rewind-leader:{epoch}:%'"))!;
}
