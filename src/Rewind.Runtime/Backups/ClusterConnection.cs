using System.Globalization;
using Npgsql;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Backups;

/// <summary>
/// One cluster, reached as the provider's URL says, in any of its databases: as a libpq URL for PostgreSQL's programs
/// (the password travels in <c>PGPASSWORD</c>, never in an argument a process listing shows) and through Npgsql for the
/// few statements a dump restore needs.
/// </summary>
internal sealed class ClusterConnection(string url)
{
    private readonly PostgresUrl _url = PostgresUrl.Parse(url);

    /// <summary>The database the URL names (the user's name when it names none).</summary>
    public string DefaultDatabase => _url.Database.Length > 0 ? _url.Database : _url.Username ?? "postgres";

    /// <summary>Added to the environment of PostgreSQL's programs.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>(StringComparer.Ordinal) { ["PGPASSWORD"] = _url.Password };

    /// <summary>A <c>postgresql://</c> URL of <paramref name="database"/> without the password, for <c>pg_dump -d</c> and <c>pg_restore -d</c>.</summary>
    public string LibpqUrl(string database)
    {
        var user = _url.Username is null ? "" : Uri.EscapeDataString(_url.Username) + "@";
        var host = _url.Host.Contains(':', StringComparison.Ordinal) ? $"[{_url.Host}]" : _url.Host;
        var query = _url.Options.Count == 0 ? "" : "?" + string.Join("&", _url.Options.Select(o => Uri.EscapeDataString(o.Key) + "=" + Uri.EscapeDataString(o.Value)));
        return string.Create(CultureInfo.InvariantCulture, $"postgresql://{user}{host}:{_url.Port}/{Uri.EscapeDataString(database)}{query}");
    }

    public async Task<NpgsqlConnection> OpenAsync(string database, CancellationToken cancellationToken = default)
    {
        var builder = _url.WriteTo(new NpgsqlConnectionStringBuilder());
        builder.Database = database;
        builder.Pooling = false;
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="database"/> with <c>$1</c> bound to <paramref name="parameter"/>, returning the first value.</summary>
    public async Task<object?> ScalarAsync(string database, string sql, string? parameter = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<bool> DatabaseExistsAsync(string database, CancellationToken cancellationToken = default) =>
        await ScalarAsync(DefaultDatabase, "SELECT 1 FROM pg_database WHERE datname = $1", database, cancellationToken) is not null;

    /// <summary>A double-quoted SQL identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
