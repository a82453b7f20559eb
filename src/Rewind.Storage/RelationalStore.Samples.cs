using Dapper;
using Rewind.Core.Signals;
using Rewind.Storage.Signals;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public Task AddSampleAsync(ProbeSample sample, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "INSERT INTO probe_samples (component, probe, at, success, latency_ms, error, replica) VALUES (@Component, @Probe, @At, @Success, @LatencyMs, @Error, @Replica)",
            new { sample.Component, sample.Probe, At = DbValues.ToMs(sample.At), sample.Success, sample.LatencyMs, sample.Error, sample.Replica },
            cancellationToken);

    public async Task<IReadOnlyList<ProbeSample>> GetRecentSamplesAsync(string component, string probe, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ProbeSampleRow>(new CommandDefinition(
            $"""
            SELECT {ProbeSampleRow.Columns} FROM probe_samples
            WHERE component = @Component AND probe = @Probe
            ORDER BY at DESC, seq DESC
            LIMIT @Limit
            """,
            new { Component = component, Probe = probe, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSample())];
    }

    public async Task<int> PruneSamplesAsync(int keepPerProbe, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepPerProbe);
        const string Sql = """
            DELETE FROM probe_samples WHERE seq IN (
                SELECT seq FROM (
                    SELECT seq, ROW_NUMBER() OVER (PARTITION BY component, probe ORDER BY at DESC, seq DESC) AS newest
                    FROM probe_samples
                ) ranked
                WHERE newest > @Keep
            )
            """;
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Sql, new { Keep = keepPerProbe }, cancellationToken: cancellationToken));
    }
}
