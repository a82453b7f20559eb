using Npgsql;
using Shouldly;

namespace Rewind.TestUtils;

/// <summary>
/// A fresh database on the PostgreSQL server named by REWIND_TEST_POSTGRES (./test.sh starts one), dropped afterwards.
/// Without the variable the test fails: the production store is never skipped.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly Uri _admin;

    private PostgresDatabase(Uri admin, string name)
    {
        _admin = admin;
        Name = name;
    }

    public string Name { get; }

    public string Url => $"{_admin.GetLeftPart(UriPartial.Authority)}/{Name}";

    /// <summary>The server's URL from REWIND_TEST_POSTGRES, e.g. <c>postgres://postgres@127.0.0.1:55432/postgres</c>; fails the test without it.</summary>
    public static string ServerUrl()
    {
        var url = Environment.GetEnvironmentVariable("REWIND_TEST_POSTGRES");
        url.ShouldNotBeNullOrEmpty("REWIND_TEST_POSTGRES is not set; ./test.sh starts a throwaway PostgreSQL and sets it");
        return url;
    }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var database = new PostgresDatabase(new Uri(ServerUrl()), $"rewind_test_{Guid.NewGuid():N}");
        await database.ExecuteAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    /// <summary>Runs <paramref name="sql"/> in this database, as a test that breaks the store on purpose does; returns the first column of the first row, if any.</summary>
    public async Task<object?> ExecuteInsideAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(Name));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(_admin.AbsolutePath.Trim('/')));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = _admin.Host,
        Port = _admin.Port > 0 ? _admin.Port : 5432,
        Username = Uri.UnescapeDataString(_admin.UserInfo.Split(':')[0]),
        Database = database,
        Pooling = false,
    }.ConnectionString;
}
