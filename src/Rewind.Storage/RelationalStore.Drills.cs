using System.Data.Common;
using Dapper;
using Rewind.Core.Drills;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    private const string DrillRunColumns = """
        id AS Id, drill AS Drill, components AS Components, status AS Status, requested_by AS RequestedBy,
        requested_at AS RequestedAt, scheduled AS Scheduled, started_at AS StartedAt, fault_at AS FaultAt,
        finished_at AS FinishedAt, summary AS Summary, report AS Report
        """;

    public Task<DrillRun> RequestDrillRunAsync(string drill, IReadOnlyList<string> components, string requestedBy, DateTimeOffset at, bool scheduled, CancellationToken cancellationToken = default)
    {
        const string Sql = """
            INSERT INTO drill_runs (id, drill, components, status, requested_by, requested_at, scheduled)
            VALUES (@Id, @Drill, @Components, @Status, @RequestedBy, @RequestedAt, @Scheduled)
            """;
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                var id = await NextDailyIdAsync(connection, transaction, DrillRun.IdPrefix, at, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(
                    Sql,
                    new { Id = id, Drill = drill, Components = DrillRunRow.JoinComponents(components), Status = DrillRun.Describe(DrillRunStatus.Requested), RequestedBy = requestedBy, RequestedAt = DbValues.ToMs(at), Scheduled = scheduled },
                    transaction,
                    cancellationToken: cancellationToken));
                return new DrillRun(id, drill, [.. components], DrillRunStatus.Requested, requestedBy, DbValues.FromMs(DbValues.ToMs(at)), scheduled);
            },
            cancellationToken);
    }

    public async Task<DrillRun?> GetDrillRunAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<DrillRunRow>(new CommandDefinition(
            $"SELECT {DrillRunColumns} FROM drill_runs WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    public async Task<IReadOnlyList<DrillRun>> GetDrillRunsAsync(string? drill, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DrillRunRow>(new CommandDefinition(
            $"""
            SELECT {DrillRunColumns} FROM drill_runs
            WHERE @Drill IS NULL OR drill = @Drill
            ORDER BY requested_at DESC, id DESC
            LIMIT @Limit
            """,
            new { Drill = drill, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRun())];
    }

    public async Task<IReadOnlyList<DrillRun>> GetOpenDrillRunsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DrillRunRow>(new CommandDefinition(
            $"SELECT {DrillRunColumns} FROM drill_runs WHERE status IN (@Requested, @Running) ORDER BY requested_at, id",
            new { Requested = DrillRun.Describe(DrillRunStatus.Requested), Running = DrillRun.Describe(DrillRunStatus.Running) },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRun())];
    }

    public async Task<bool> UpdateDrillRunAsync(DrillRun run, DrillRunStatus expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        const string Sql = """
            UPDATE drill_runs SET status = @Status, started_at = @StartedAt, fault_at = @FaultAt, finished_at = @FinishedAt,
                summary = @Summary, report = @Report
            WHERE id = @Id AND status = @Expected
            """;
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            Sql,
            new
            {
                run.Id,
                Status = DrillRun.Describe(run.Status),
                StartedAt = DbValues.ToMs(run.StartedAt),
                FaultAt = DbValues.ToMs(run.FaultAt),
                FinishedAt = DbValues.ToMs(run.FinishedAt),
                run.Summary,
                Report = run.Report is null ? null : DrillReportJson.Serialize(run.Report),
                Expected = DrillRun.Describe(expected),
            },
            cancellationToken: cancellationToken));
        return changed == 1;
    }

    /// <summary>The running drill whose components include <paramref name="component"/>, if one is.</summary>
    private static async Task<(string Id, string Drill)?> RunningDrillAsync(DbConnection connection, DbTransaction transaction, string component, CancellationToken cancellationToken)
    {
        var row = await connection.QueryFirstOrDefaultAsync<(string Id, string Drill)>(new CommandDefinition(
            "SELECT id, drill FROM drill_runs WHERE status = @Running AND components LIKE @Pattern ORDER BY requested_at DESC LIMIT 1",
            new { Running = DrillRun.Describe(DrillRunStatus.Running), Pattern = $"%,{component},%" },
            transaction,
            cancellationToken: cancellationToken));
        return row.Id is null ? null : row;
    }
}

/// <summary>A <c>drill_runs</c> row as Dapper reads it.</summary>
internal sealed class DrillRunRow
{
    public string Id { get; set; } = "";

    public string Drill { get; set; } = "";

    public string Components { get; set; } = "";

    public string Status { get; set; } = "";

    public string RequestedBy { get; set; } = "";

    public long RequestedAt { get; set; }

    public bool Scheduled { get; set; }

    public long? StartedAt { get; set; }

    public long? FaultAt { get; set; }

    public long? FinishedAt { get; set; }

    public string? Summary { get; set; }

    public string? Report { get; set; }

    /// <summary>",a,b,": a component is found with LIKE '%,name,%' (names never hold a comma).</summary>
    public static string JoinComponents(IEnumerable<string> components) => "," + string.Join(",", components) + ",";

    public DrillRun ToRun() => new(
        Id,
        Drill,
        Components.Split(',', StringSplitOptions.RemoveEmptyEntries),
        DrillRun.Parse(Status),
        RequestedBy,
        DbValues.FromMs(RequestedAt),
        Scheduled,
        DbValues.FromMs(StartedAt),
        DbValues.FromMs(FaultAt),
        DbValues.FromMs(FinishedAt),
        Summary,
        DrillReportJson.Deserialize(Report));
}
