using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Rewind.Core.Signals;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    /// <summary>Rows per INSERT statement: 6 parameters a row stays far below either database's parameter limit.</summary>
    private const int SampleRowsPerStatement = 200;

    /// <summary>The INSERT text for each row count used, built once.</summary>
    private static readonly ConcurrentDictionary<int, string> SampleInserts = new();

    public async Task AddSamplesAsync(IReadOnlyList<ProbeSample> samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return;
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var first = 0; first < samples.Count; first += SampleRowsPerStatement)
        {
            var rows = Math.Min(SampleRowsPerStatement, samples.Count - first);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = SampleInserts.GetOrAdd(rows, InsertSamplesSql);
            for (var row = 0; row < rows; row++)
            {
                var sample = samples[first + row];
                AddParameter(command, sample.Component);
                AddParameter(command, sample.Probe);
                AddParameter(command, DbValues.ToMs(sample.At));
                AddParameter(command, sample.Success);
                AddParameter(command, sample.LatencyMs);
                AddParameter(command, sample.Error);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static string InsertSamplesSql(int rows)
    {
        var sql = new StringBuilder("INSERT INTO probe_samples (component, probe, at, success, latency_ms, error) VALUES ");
        for (var row = 0; row < rows; row++)
        {
            var p = row * 6;
            sql.Append(CultureInfo.InvariantCulture, $"{(row == 0 ? "" : ", ")}(@p{p}, @p{p + 1}, @p{p + 2}, @p{p + 3}, @p{p + 4}, @p{p + 5})");
        }

        return sql.ToString();
    }

    private static void AddParameter(DbCommand command, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
