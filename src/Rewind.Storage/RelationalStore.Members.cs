using Dapper;
using Rewind.Core.Runbooks;
using Rewind.Storage.Runbooks;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    /// <summary>At most 4 KiB characters of a member's last output: 127 members must not make a megabyte row set.</summary>
    private const int MemberOutputLength = 4 * 1024;

    public async Task<IReadOnlyList<MemberResult>> GetMembersAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MemberRow>(new CommandDefinition(
            """
            SELECT member AS Member, status AS Status, attempts AS Attempts, started_at AS StartedAt, finished_at AS FinishedAt, output AS Output
            FROM rollback_members WHERE rollback_id = @RollbackId AND step_idx = @Step ORDER BY ord
            """,
            new { RollbackId = rollbackId, Step = stepIndex },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToResult())];
    }

    public Task AddMembersAsync(string rollbackId, int stepIndex, IReadOnlyList<string> members, CancellationToken cancellationToken = default) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                // Members not yet stored go after those that are, in the order given.
                var next = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                    "SELECT COALESCE(MAX(ord) + 1, 0) FROM rollback_members WHERE rollback_id = @RollbackId AND step_idx = @Step",
                    new { RollbackId = rollbackId, Step = stepIndex },
                    transaction,
                    cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO rollback_members (rollback_id, step_idx, ord, member, status, attempts)
                    VALUES (@RollbackId, @Step, @Ord, @Member, 'pending', 0)
                    ON CONFLICT (rollback_id, step_idx, member) DO NOTHING
                    """,
                    members.Select((m, i) => new { RollbackId = rollbackId, Step = stepIndex, Ord = next + i, Member = m }),
                    transaction,
                    cancellationToken: cancellationToken));
                return true;
            },
            cancellationToken);

    public Task MarkMemberStartedAsync(string rollbackId, int stepIndex, string member, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            """
            UPDATE rollback_members SET status = 'running', started_at = @At, finished_at = NULL, attempts = attempts + 1
            WHERE rollback_id = @RollbackId AND step_idx = @Step AND member = @Member
            """,
            new { RollbackId = rollbackId, Step = stepIndex, Member = member, At = DbValues.ToMs(at) },
            cancellationToken);

    public Task MarkMemberFinishedAsync(string rollbackId, int stepIndex, string member, MemberStatus status, DateTimeOffset at, string? output, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE rollback_members SET status = @Status, finished_at = @At, output = @Output WHERE rollback_id = @RollbackId AND step_idx = @Step AND member = @Member",
            new
            {
                RollbackId = rollbackId,
                Step = stepIndex,
                Member = member,
                Status = DbValues.Text(status),
                At = DbValues.ToMs(at),
                Output = StepOutput.Tail(output, MemberOutputLength),
            },
            cancellationToken);

    public async Task<IReadOnlyDictionary<int, MemberCounts>> GetMemberCountsAsync(string rollbackId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Step, string Status, long Count)>(new CommandDefinition(
            "SELECT step_idx, status, COUNT(*) FROM rollback_members WHERE rollback_id = @RollbackId GROUP BY step_idx, status",
            new { RollbackId = rollbackId },
            cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.Step).ToDictionary(
            g => g.Key,
            g =>
            {
                int Count(MemberStatus status) => (int)g.Where(r => DbValues.Parse<MemberStatus>(r.Status) == status).Sum(r => r.Count);
                return new MemberCounts(Count(MemberStatus.Pending), Count(MemberStatus.Running), Count(MemberStatus.Succeeded), Count(MemberStatus.Failed), Count(MemberStatus.Unreachable));
            });
    }

    private sealed class MemberRow
    {
        public string Member { get; set; } = "";

        public string Status { get; set; } = "";

        public int Attempts { get; set; }

        public long? StartedAt { get; set; }

        public long? FinishedAt { get; set; }

        public string? Output { get; set; }

        public MemberResult ToResult() => new(Member, DbValues.Parse<MemberStatus>(Status), Attempts, DbValues.FromMs(StartedAt), DbValues.FromMs(FinishedAt), Output);
    }
}
