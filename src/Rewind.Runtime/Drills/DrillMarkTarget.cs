using Npgsql;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Drills;

/// <summary>
/// Where a drill writes its marks and reads them back (<c>drills.NAME.data</c>): a PostgreSQL table the drill makes, or a
/// write and a read command. A write that returns true was acknowledged: the system said the data is kept.
/// </summary>
public abstract class DrillMarkTarget
{
    /// <summary>Before the fault: make what the marks need (the table).</summary>
    public abstract Task PrepareAsync(CancellationToken cancellationToken);

    public abstract Task<bool> WriteAsync(string mark, CancellationToken cancellationToken);

    /// <summary>The marks present now; throws when they cannot be read.</summary>
    public abstract Task<IReadOnlySet<string>> ReadAsync(string prefix, CancellationToken cancellationToken);

    public static DrillMarkTarget For(DrillDataConfig data, ProcessRunner processes, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Postgres is { } url
            ? new PostgresMarks(url, data.Timeout)
            : new CommandMarks(data.Write!, data.Read!, data.Timeout, processes, workingDirectory);
    }

    private sealed class PostgresMarks(string url, TimeSpan timeout) : DrillMarkTarget
    {
        private readonly string _connectionString = ConnectionString(url, timeout);

        private static string ConnectionString(string url, TimeSpan timeout)
        {
            var builder = PostgresUrl.Parse(url).WriteTo(new NpgsqlConnectionStringBuilder());
            builder.Pooling = false;
            builder.Timeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
            builder.CommandTimeout = builder.Timeout;
            builder.ApplicationName ??= "rewind-drill";
            return builder.ConnectionString;
        }

        public override Task PrepareAsync(CancellationToken cancellationToken) =>
            ExecuteAsync("CREATE TABLE IF NOT EXISTS rewind_drill_marks (mark text PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())", null, cancellationToken);

        public override async Task<bool> WriteAsync(string mark, CancellationToken cancellationToken)
        {
            try
            {
                await ExecuteAsync("INSERT INTO rewind_drill_marks (mark) VALUES (@mark)", mark, cancellationToken);
                return true;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return false; // the database is down or restoring: not acknowledged
            }
        }

        public override async Task<IReadOnlySet<string>> ReadAsync(string prefix, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT mark FROM rewind_drill_marks WHERE mark LIKE @prefix", connection);
            command.Parameters.AddWithValue("prefix", prefix + "%");
            var marks = new HashSet<string>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                marks.Add(reader.GetString(0));
            }

            return marks;
        }

        private async Task ExecuteAsync(string sql, string? mark, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection);
            if (mark is not null)
            {
                command.Parameters.AddWithValue("mark", mark);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private sealed class CommandMarks(List<string> write, List<string> read, TimeSpan timeout, ProcessRunner processes, string directory) : DrillMarkTarget
    {
        public override Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override async Task<bool> WriteAsync(string mark, CancellationToken cancellationToken)
        {
            var argv = write.Select(a => a.Replace(DrillMarks.Placeholder, mark, StringComparison.Ordinal)).ToList();
            var result = await RunAsync(argv, cancellationToken);
            return result is { StartError: null, TimedOut: false, ExitCode: 0 };
        }

        public override async Task<IReadOnlySet<string>> ReadAsync(string prefix, CancellationToken cancellationToken)
        {
            var result = await RunAsync(read, cancellationToken);
            if (result is not { StartError: null, TimedOut: false, ExitCode: 0 })
            {
                throw new InvalidOperationException($"the read command failed: {result.Describe()}");
            }

            // A line may carry more than the mark (a path, a JSON id): any word that starts with the run's prefix counts.
            return result.Output.Split(['\n', '\r', ' ', '\t', '/', '"', ',', ':'], StringSplitOptions.RemoveEmptyEntries)
                .Where(word => word.StartsWith(prefix, StringComparison.Ordinal))
                .ToHashSet(StringComparer.Ordinal);
        }

        private Task<ProcessResult> RunAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken)
        {
            var filled = argv.Select(a => PlanTemplate.RenderCall(a, null, Runbooks.StepContext.ProcessEnvironment)).ToList();
            return processes.RunAsync(new ProcessRequest(filled, directory, timeout), cancellationToken);
        }
    }
}
