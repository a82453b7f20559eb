using Dapper;
using Rewind.Core.Runbooks;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task AddStepProcessAsync(string rollbackId, int stepIndex, StepProcess process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        return ExecuteAsync(
            """
            INSERT INTO step_processes (rollback_id, step_idx, boot_id, group_id, leader_start_time, host, executable, started_at)
            VALUES (@RollbackId, @Step, @BootId, @GroupId, @LeaderStartTime, @Host, @Executable, @StartedAt)
            ON CONFLICT (rollback_id, step_idx, boot_id, group_id) DO NOTHING
            """,
            new
            {
                RollbackId = rollbackId,
                Step = stepIndex,
                process.BootId,
                process.GroupId,
                process.LeaderStartTime,
                process.Host,
                process.Executable,
                StartedAt = DbValues.ToMs(process.StartedAt),
            },
            cancellationToken);
    }

    public Task RemoveStepProcessAsync(string rollbackId, int stepIndex, StepProcess process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        return ExecuteAsync(
            "DELETE FROM step_processes WHERE rollback_id = @RollbackId AND step_idx = @Step AND boot_id = @BootId AND group_id = @GroupId",
            new { RollbackId = rollbackId, Step = stepIndex, process.BootId, process.GroupId },
            cancellationToken);
    }

    public async Task<IReadOnlyList<StepProcess>> GetStepProcessesAsync(string rollbackId, int stepIndex, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StepProcessRow>(new CommandDefinition(
            """
            SELECT group_id AS GroupId, leader_start_time AS LeaderStartTime, boot_id AS BootId, host AS Host, executable AS Executable, started_at AS StartedAt
            FROM step_processes WHERE rollback_id = @RollbackId AND step_idx = @Step ORDER BY started_at, group_id
            """,
            new { RollbackId = rollbackId, Step = stepIndex },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StepProcess(r.GroupId, r.LeaderStartTime, r.BootId, r.Host, r.Executable, DbValues.FromMs(r.StartedAt)))];
    }

    private sealed class StepProcessRow
    {
        public int GroupId { get; set; }

        public long LeaderStartTime { get; set; }

        public string BootId { get; set; } = "";

        public string Host { get; set; } = "";

        public string Executable { get; set; } = "";

        public long StartedAt { get; set; }
    }
}
