using Dapper;
using Rewind.Core.Approvals;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    /// <summary>Gate of the authorisation matrix's approvals in <c>rollback_approvals.gate</c>; approval steps use their index.</summary>
    private const int MatrixGate = -1;

    public Task<bool> AddApprovalAsync(Approval approval, TimelineEvent? entry, CancellationToken cancellationToken = default) =>
        AddApprovalAsync(MatrixGate, approval, entry, cancellationToken);

    public Task<IReadOnlyList<Approval>> GetApprovalsAsync(string rollbackId, CancellationToken cancellationToken = default) =>
        GetApprovalsAsync(rollbackId, MatrixGate, cancellationToken);

    public Task<bool> AddGateApprovalAsync(int stepIndex, Approval approval, TimelineEvent? entry, CancellationToken cancellationToken = default) =>
        AddApprovalAsync(ValidGate(stepIndex), approval, entry, cancellationToken);

    public Task<IReadOnlyList<Approval>> GetGateApprovalsAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default) =>
        GetApprovalsAsync(rollbackId, ValidGate(stepIndex), cancellationToken);

    private static int ValidGate(int stepIndex) =>
        stepIndex >= 0 ? stepIndex : throw new ArgumentOutOfRangeException(nameof(stepIndex), stepIndex, "a step index is never negative");

    private async Task<bool> AddApprovalAsync(int gate, Approval approval, TimelineEvent? entry, CancellationToken cancellationToken)
    {
        try
        {
            return await InTransactionAsync(
                async (connection, transaction) =>
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO rollback_approvals (rollback_id, gate, approver, roles, approved, at, note) VALUES (@RollbackId, @Gate, @Approver, @Roles, @Approved, @At, @Note)",
                        new { approval.RollbackId, Gate = gate, approval.Approver, Roles = string.Join(',', approval.Roles), Approved = approval.Approved ? 1 : 0, At = DbValues.ToMs(approval.At), approval.Note },
                        transaction,
                        cancellationToken: cancellationToken));
                    if (entry is not null)
                    {
                        await InsertTimelineAsync(connection, transaction, entry, cancellationToken);
                    }

                    return true;
                },
                cancellationToken);
        }
        catch (Exception ex) when (_dialect.IsUniqueViolation(ex))
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<Approval>> GetApprovalsAsync(string rollbackId, int gate, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string RollbackId, string Approver, string Roles, long Approved, long At, string Note)>(new CommandDefinition(
            "SELECT rollback_id, approver, roles, approved, at, note FROM rollback_approvals WHERE rollback_id = @Id AND gate = @Gate ORDER BY at, approver",
            new { Id = rollbackId, Gate = gate },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new Approval(r.RollbackId, r.Approver, r.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), r.Approved != 0, DbValues.FromMs(r.At), r.Note))];
    }

    public Task<bool> DecideAwaitingRollbackAsync(string id, RollbackStatus status, DateTimeOffset at, string? note, TimelineEvent? entry = null, CancellationToken cancellationToken = default) =>
        ChangingRollbackAsync(id, () => InTransactionAsync(
            async (connection, transaction) =>
            {
                var decided = await connection.ExecuteAsync(new CommandDefinition(
                    status == RollbackStatus.Pending
                        ? "UPDATE rollbacks SET status = 'pending' WHERE id = @Id AND status = 'awaiting'"
                        : "UPDATE rollbacks SET status = @Status, finished_at = @At, error = @Note WHERE id = @Id AND status = 'awaiting'",
                    new { Id = id, Status = DbValues.Text(status), At = DbValues.ToMs(at), Note = note },
                    transaction,
                    cancellationToken: cancellationToken));
                if (decided == 0)
                {
                    return false;
                }

                if (entry is not null)
                {
                    if (status == RollbackStatus.Pending)
                    {
                        await SetIncidentStatusAsync(connection, transaction, entry.IncidentId, IncidentStatus.Mitigating, at, cancellationToken);
                    }

                    await InsertTimelineAsync(connection, transaction, entry, cancellationToken);
                }

                return true;
            },
            cancellationToken), cancellationToken);
}
