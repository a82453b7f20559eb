using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Rewind.Core.Signals;
using Rewind.Storage.Signals;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    /// <summary>The INSERT text for each row count used, built once.</summary>
    private static readonly ConcurrentDictionary<int, string> SampleInserts = new();

    public Task AddSampleAsync(ProbeSample sample, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "INSERT INTO probe_samples (component, probe, at, success, latency_ms, error, replica) VALUES (@Component, @Probe, @At, @Success, @LatencyMs, @Error, @Replica)",
            new { sample.Component, sample.Probe, At = DbValues.ToMs(sample.At), sample.Success, sample.LatencyMs, sample.Error, sample.Replica },
            cancellationToken);

    public async Task AddSamplesAsync(IReadOnlyList<ProbeSample> samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return;
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        DbCommand? full = null; // one statement of the dialect's rows per insert, prepared once and run again with new values
        try
        {
            for (var first = 0; first < samples.Count; first += _dialect.RowsPerInsert)
            {
                var rows = Math.Min(_dialect.RowsPerInsert, samples.Count - first);
                if (rows == _dialect.RowsPerInsert)
                {
                    full ??= InsertSamplesCommand(connection, transaction, rows);
                    await InsertSamplesAsync(full, samples, first, cancellationToken);
                }
                else
                {
                    await using var rest = InsertSamplesCommand(connection, transaction, rows);
                    await InsertSamplesAsync(rest, samples, first, cancellationToken);
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The columns of one sample row in a multi-row insert.</summary>
    private const int Columns = 7;

    private static DbCommand InsertSamplesCommand(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SampleInserts.GetOrAdd(rows, InsertSamplesSql);
        for (var p = 0; p < rows * Columns; p++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + p.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static Task<int> InsertSamplesAsync(DbCommand command, IReadOnlyList<ProbeSample> samples, int first, CancellationToken cancellationToken)
    {
        var parameters = command.Parameters;
        for (var row = 0; row < parameters.Count / Columns; row++)
        {
            var sample = samples[first + row];
            var p = row * Columns;
            parameters[p].Value = sample.Component;
            parameters[p + 1].Value = sample.Probe;
            parameters[p + 2].Value = DbValues.ToMs(sample.At);
            parameters[p + 3].Value = sample.Success;
            parameters[p + 4].Value = sample.LatencyMs;
            parameters[p + 5].Value = (object?)sample.Error ?? DBNull.Value;
            parameters[p + 6].Value = (object?)sample.Replica ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string InsertSamplesSql(int rows)
    {
        var sql = new StringBuilder("INSERT INTO probe_samples (component, probe, at, success, latency_ms, error, replica) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            var p = row * Columns;
            sql.Append(CultureInfo.InvariantCulture, $"{(row == 0 ? "" : ", ")}(@p{p}, @p{p + 1}, @p{p + 2}, @p{p + 3}, @p{p + 4}, @p{p + 5}, @p{p + 6})");
        }

        return sql.ToString();
    }

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
}
