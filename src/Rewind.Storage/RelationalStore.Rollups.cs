using Dapper;
using Rewind.Core.Signals;
using Rewind.Storage.Signals;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public async Task<DateTimeOffset?> GetRolledUntilAsync(SampleResolution resolution, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var ms = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT rolled_until FROM rollup_progress WHERE resolution = @Resolution",
            new { Resolution = (int)resolution },
            cancellationToken: cancellationToken));
        return DbValues.FromMs(ms);
    }

    public Task<int> RollUpAsync(SampleResolution resolution, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        if (resolution == SampleResolution.Raw)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "raw samples are not rolled");
        }

        var sql = RollupSql.Upsert(resolution);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                var written = await connection.ExecuteAsync(new CommandDefinition(
                    sql,
                    new { Resolution = (int)resolution, Ms = (long)resolution.Length().TotalMilliseconds, From = DbValues.ToMs(from), To = DbValues.ToMs(until) },
                    transaction,
                    cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO rollup_progress (resolution, rolled_until) VALUES (@Resolution, @To)
                    ON CONFLICT (resolution) DO UPDATE SET rolled_until = excluded.rolled_until
                    """,
                    new { Resolution = (int)resolution, To = DbValues.ToMs(until) },
                    transaction,
                    cancellationToken: cancellationToken));
                return written;
            },
            cancellationToken);
    }

    public async Task<DateTimeOffset?> GetOldestAsync(SampleResolution resolution, CancellationToken cancellationToken = default)
    {
        var sql = resolution == SampleResolution.Raw
            ? "SELECT MIN(at) FROM probe_samples"
            : "SELECT MIN(bucket) FROM probe_rollups WHERE resolution = @Resolution";
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var ms = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { Resolution = (int)resolution }, cancellationToken: cancellationToken));
        return DbValues.FromMs(ms);
    }

    public Task<int> DeleteSamplesBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        ExecuteCountAsync(
            "DELETE FROM probe_samples WHERE seq IN (SELECT seq FROM probe_samples WHERE at < @Before ORDER BY at LIMIT @Limit)",
            new { Before = DbValues.ToMs(before), Limit = limit },
            cancellationToken);

    public Task<int> DeleteRollupsAsync(SampleResolution resolution, DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken = default) =>
        ExecuteCountAsync(
            "DELETE FROM probe_rollups WHERE resolution = @Resolution AND bucket >= @From AND bucket < @Before",
            new { Resolution = (int)resolution, From = DbValues.ToMs(from), Before = DbValues.ToMs(before) },
            cancellationToken);

    public async Task<IReadOnlyList<ProbeSample>> GetSamplesAsync(string component, string probe, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProbeSampleRow>(new CommandDefinition(
            $"""
            SELECT {ProbeSampleRow.Columns} FROM probe_samples
            WHERE component = @Component AND probe = @Probe AND at >= @From AND at < @To
            ORDER BY at DESC, seq DESC
            LIMIT @Limit
            """,
            new { Component = component, Probe = probe, From = DbValues.ToMs(from), To = DbValues.ToMs(until), Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSample()).Reverse()];
    }

    public Task<IReadOnlyList<SampleBucket>> GetRollupsAsync(string component, string probe, SampleResolution resolution, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        QueryBucketsAsync(RollupSql.Stored, probe, resolution, new { Component = component, Probe = probe, Resolution = (int)resolution, From = DbValues.ToMs(from), To = DbValues.ToMs(until) }, cancellationToken);

    public Task<IReadOnlyList<SampleBucket>> SumSamplesAsync(string component, string probe, SampleResolution resolution, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        resolution == SampleResolution.Raw
            ? throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "raw samples are summed into minutes or hours")
            : QueryBucketsAsync(
                RollupSql.SummedRaw,
                probe,
                resolution,
                new { Component = component, Probe = probe, Ms = (long)resolution.Length().TotalMilliseconds, From = DbValues.ToMs(from), To = DbValues.ToMs(until) },
                cancellationToken);

    private async Task<IReadOnlyList<SampleBucket>> QueryBucketsAsync(string sql, string probe, SampleResolution resolution, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(row => RollupSql.ToBucket((IDictionary<string, object>)row, probe, resolution))];
    }

    private async Task<int> ExecuteCountAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
