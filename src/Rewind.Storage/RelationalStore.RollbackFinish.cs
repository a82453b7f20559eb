using Dapper;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Storage.Sql;
using System.Data.Common;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task<bool> FinishRollbackAsync(RollbackFinish finish, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finish);
        return ChangingRollbackAsync(finish.RollbackId, () => InTransactionAsync(
            async (connection, transaction) =>
            {
                // Conditional on being active: a finish that committed is never written (nor told) a second time.
                var finished = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE rollbacks SET status = @Status, finished_at = @At, error = @Error WHERE id = @Id AND status IN ('pending', 'running')",
                    new { Id = finish.RollbackId, Status = DbValues.Text(finish.Status), At = DbValues.ToMs(finish.At), finish.Error },
                    transaction,
                    cancellationToken: cancellationToken));
                if (finished == 0)
                {
                    return false;
                }

                // Every row changed first, the entries last: on PostgreSQL an entry's number stays unseen only for the commit.
                var released = finish.LeftRelease is { } move && await MoveLeftReleaseAsync(connection, transaction, finish, move, cancellationToken);
                var resolved = finish.Resolution is { } resolution
                    && await SetIncidentStatusAsync(connection, transaction, resolution.IncidentId, IncidentStatus.Resolved, resolution.At, cancellationToken);
                IEnumerable<TimelineEvent?> entries = [released ? finish.LeftRelease!.Entry : null, .. finish.Entries, resolved ? finish.Resolution : null];
                foreach (var entry in entries.OfType<TimelineEvent>())
                {
                    await InsertTimelineAsync(connection, transaction, entry, cancellationToken);
                }

                return true;
            },
            cancellationToken), cancellationToken);
    }

    /// <summary>The release the rollback left takes the state of <paramref name="move"/>, unless it is the target or refused already; false when it did not move.</summary>
    private static async Task<bool> MoveLeftReleaseAsync(DbConnection connection, DbTransaction transaction, RollbackFinish finish, ReleaseMove move, CancellationToken cancellationToken)
    {
        var rollback = await connection.QuerySingleAsync<(string Component, string? IncidentId, string? FromVersion, string ToVersion)>(new CommandDefinition(
            "SELECT component, incident_id, from_version, to_version FROM rollbacks WHERE id = @Id",
            new { Id = finish.RollbackId },
            transaction,
            cancellationToken: cancellationToken));
        return rollback.FromVersion is { } from && !string.Equals(from, rollback.ToVersion, StringComparison.Ordinal)
            && await MoveReleaseAsync(connection, transaction, rollback.Component, from, move.State, finish.At, rollback.IncidentId, state => !ReleaseGate.Refuses(state), cancellationToken);
    }
}
