using Dapper;
using Rewind.Core.Approvals;
using Rewind.Core.Runbooks;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public async Task<bool> AddApprovalAsync(Approval approval, CancellationToken cancellationToken = default)
    {
        try
        {
            await ExecuteAsync(
                "INSERT INTO rollback_approvals (rollback_id, approver, roles, approved, at, note) VALUES (@RollbackId, @Approver, @Roles, @Approved, @At, @Note)",
                new { approval.RollbackId, approval.Approver, Roles = string.Join(',', approval.Roles), Approved = approval.Approved ? 1 : 0, At = DbValues.ToMs(approval.At), approval.Note },
                cancellationToken);
            return true;
        }
        catch (Exception ex) when (_dialect.IsUniqueViolation(ex))
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<Approval>> GetApprovalsAsync(string rollbackId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string RollbackId, string Approver, string Roles, long Approved, long At, string Note)>(new CommandDefinition(
            "SELECT rollback_id, approver, roles, approved, at, note FROM rollback_approvals WHERE rollback_id = @Id ORDER BY at, approver",
            new { Id = rollbackId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Approval(r.RollbackId, r.Approver, r.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Approved != 0, DbValues.FromMs(r.At), r.Note))];
    }

    public async Task<bool> DecideAwaitingRollbackAsync(string id, RollbackStatus status, DateTimeOffset at, string? note, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            status == RollbackStatus.Pending
                ? "UPDATE rollbacks SET status = 'pending' WHERE id = @Id AND status = 'awaiting'"
                : "UPDATE rollbacks SET status = @Status, finished_at = @At, error = @Note WHERE id = @Id AND status = 'awaiting'",
            new { Id = id, Status = DbValues.Text(status), At = DbValues.ToMs(at), Note = note },
            cancellationToken: cancellationToken)) > 0;
    }
}
