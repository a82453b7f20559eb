using Npgsql;

namespace Rewind.Runtime.Backups;

/// <summary>Before a live restore stops the cluster: the WAL written so far is archived, the restore point among it.</summary>
public sealed partial class BackupTarget
{
    private static readonly TimeSpan ArchiveWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ArchivePoll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Switches to a new WAL segment and waits (at most a minute) until the archiver has taken the one just closed. A
    /// fast shutdown does not archive the segment in use, so a restore point written into it since the last switch (a
    /// release recorded a minute ago) would be out of reach of the restore. Returns a sentence for the step's record; a
    /// cluster that does not answer (it crashed: nothing more can be archived) is said so, and the restore goes on.
    /// </summary>
    private async Task<string> ArchiveWalInUseAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 10, CommandTimeout = 10 };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var segment = await ScalarAsync(connection, "SELECT pg_walfile_name(pg_switch_wal())", cancellationToken);
            var started = time.GetTimestamp();
            while (time.GetElapsedTime(started) < ArchiveWait)
            {
                if (await ScalarAsync(connection, "SELECT last_archived_wal FROM pg_stat_archiver", cancellationToken) is { } archived
                    && archived.Length >= 24 && string.CompareOrdinal(archived[..24], segment) >= 0)
                {
                    return $"WAL up to {segment} archived before the stop";
                }

                await Task.Delay(ArchivePoll, time, cancellationToken);
            }

            return $"WAL segment {segment} was not archived within {Core.Configuration.Durations.Format(ArchiveWait)} (see pg_stat_archiver); the restore goes on with what the archive holds";
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return $"the WAL in use could not be archived first ({ex.Message}); the restore goes on with what the archive holds";
        }
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
