using Rewind.Core.Backups;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Backups;

/// <summary>A restore of the live cluster in place: stop it, restore beside it, verify, swap in, start it again.</summary>
public sealed partial class BackupTarget
{
    private static readonly TimeSpan ServerCommandTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Restores the live cluster to <paramref name="target"/>: the cluster is stopped (<c>postgres.stop</c>, default
    /// <c>pg_ctl stop -m fast</c>), the restore is made and verified beside the data directory and swapped in (the
    /// replaced directory kept), and the cluster is started again (<c>postgres.start</c>) — also when the restore failed,
    /// since the live directory is then untouched and the database must not stay down because of the attempt. Before the
    /// stop, the WAL in use is switched and archived, so the target (a restore point made since the last switch) is reachable.
    /// </summary>
    public async Task<(bool Succeeded, string Summary)> RestoreLiveAsync(RestoreTarget target, string configPath, ProcessRunner runner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var (tools, postgres) = (Tools ?? throw new InvalidOperationException($"{Component} is not a postgres component"), Postgres!);
        var data = postgres.DataDirectory;
        var archived = "";
        if (await IsRunningAsync(runner, tools, data, cancellationToken))
        {
            archived = await ArchiveWalInUseAsync(runner.Time, cancellationToken) + "; ";
            var stop = await runner.RunAsync(new ProcessRequest(postgres.Stop.Count > 0 ? postgres.Stop : tools.Command("pg_ctl", "stop", "-D", data, "-m", "fast", "-w", "-t", "120"), null, ServerCommandTimeout), cancellationToken);
            if (!stop.Succeeded || await IsRunningAsync(runner, tools, data, cancellationToken))
            {
                return (false, $"the cluster of {Component} could not be stopped for the restore ({stop.Describe()}); nothing was restored");
            }
        }

        var request = new RestoreRequest(data, target, FetchCommand(configPath)) { ConnectionString = CheckConnectionString(), VerificationQueries = CheckQueries() };
        var result = await new PointInTimeRestore(Repository, tools).RestoreAsync(request, cancellationToken: cancellationToken);
        var start = await runner.RunAsync(new ProcessRequest(postgres.Start.Count > 0 ? postgres.Start : tools.Command("pg_ctl", "start", "-D", data, "-w", "-t", "300", "-l", data + ".log"), null, ServerCommandTimeout), CancellationToken.None);
        var started = start.Succeeded ? "started again" : $"NOT started again ({start.Describe()}): start it by hand";
        return result.Succeeded
            ? (start.Succeeded, $"{archived}restored {Component} from set {result.SetId} to {target.Describe()} in {Core.Configuration.Durations.Format(result.Duration)}, {result.Checks.Count} check(s) passed; the replaced data directory is kept in {result.ReplacedDirectory}; the cluster {started}")
            : (false, $"{archived}the restore of {Component} failed ({result.Message}); the live data directory is untouched and the cluster {started}");
    }

    private static async Task<bool> IsRunningAsync(ProcessRunner runner, PostgresToolOptions tools, string data, CancellationToken cancellationToken) =>
        (await runner.RunAsync(new ProcessRequest(tools.Command("pg_ctl", "status", "-D", data), null, TimeSpan.FromSeconds(30)), cancellationToken)).ExitCode == 0;
}
