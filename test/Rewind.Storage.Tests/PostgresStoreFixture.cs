using Npgsql;

namespace Rewind.Storage.Tests;

/// <summary>
/// Fresh, uniquely named PostgreSQL databases on the server named by <c>REWIND_TEST_POSTGRES</c>, dropped afterwards.
/// Without that variable the tests fail: PostgreSQL is a production store and its contract is never skipped.
/// </summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    public const string Variable = "REWIND_TEST_POSTGRES";

    private readonly List<string> _databases = [];

    public override string Dialect => "postgres";

    private static string AdminUrl =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL store contract cannot run. Set it to a server the tests may create databases on, " +
                "e.g. postgres://postgres@127.0.0.1:54329/postgres (./test.sh starts a throwaway cluster and sets it).");

    public override async Task<string> CreateEmptyLocationAsync()
    {
        var admin = AdminUrl;
        var name = $"rewind_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(StoreFactory.ConnectionString(admin)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        _databases.Add(name);
        var uri = new Uri(admin);
        return $"{uri.GetLeftPart(UriPartial.Authority)}/{name}{uri.Query}";
    }

    protected override async Task RemoveLocationsAsync()
    {
        if (_databases.Count == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(StoreFactory.ConnectionString(AdminUrl));
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
