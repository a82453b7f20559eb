using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// One real cluster for the logical dump tests. Each test makes its own database (<see cref="CreateShopAsync"/>:
/// <c>public.orders</c> with 50 rows and <c>sales.refunds</c> with 5) and its own repository, in a directory or in object
/// storage, so tests never share state.
/// </summary>
public sealed class DumpScenario : IAsyncLifetime
{
    public string Root { get; private set; } = "";

    public PostgresCluster Cluster { get; private set; } = null!;

    public BackupKey Key { get; } = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(BackupKey.Length));

    public static PostgresToolOptions Tools => BackupScenario.Tools;

    public string Url(string database = "postgres") => string.Create(CultureInfo.InvariantCulture, $"postgres://postgres@127.0.0.1:{Cluster.Port}/{database}");

    /// <summary>Where the repositories live in object storage (those in directories are beneath <see cref="Root"/>).</summary>
    public RepositoryStore Bucket { get; private set; } = null!;

    public RepositoryStore Store(bool inObjectStorage) => inObjectStorage ? Bucket : new DirectoryStore(Root);

    /// <summary>A new, empty repository: a directory, or a prefix of the bucket.</summary>
    public BackupRepository Repository(BackupKey? key, Core.Backups.StoredCompression compression = Core.Backups.StoredCompression.Gzip, bool inObjectStorage = false)
    {
        var store = Store(inObjectStorage);
        return new(store.Options(store.Location($"repo-{Guid.NewGuid():N}")) with { Key = key, Compression = compression });
    }

    public async Task<string> CreateShopAsync()
    {
        var name = $"shop_{Guid.NewGuid():N}"[..13];
        await Cluster.ExecuteAsync($"CREATE DATABASE {name}");
        await ExecuteAsync(name, """
            CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL, qty int NOT NULL);
            INSERT INTO orders (item, qty) SELECT 'item-' || i, i FROM generate_series(1, 50) AS i;
            CREATE SCHEMA sales;
            CREATE TABLE sales.refunds (id int PRIMARY KEY, amount numeric(10, 2));
            INSERT INTO sales.refunds SELECT i, i * 1.5 FROM generate_series(1, 5) AS i;
            """);
        return name;
    }

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every row of a query, each row's values joined with '|', in the query's order.</summary>
    public async Task<IReadOnlyList<string>> RowsAsync(string database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    public async Task InitializeAsync()
    {
        Root = await PostgresCluster.CreateDirectoryAsync("rewind-dumps");
        Cluster = await PostgresCluster.CreateAsync(Path.Combine(Root, "data"));
        Bucket = await RepositoryStore.InBucketAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Bucket is not null)
        {
            await Bucket.DisposeAsync();
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Cluster.ConnectionString) { Database = database }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

[CollectionDefinition(Name)]
public sealed class DumpScenarioGroup : ICollectionFixture<DumpScenario>
{
    public const string Name = "logical dumps on a real cluster";
}
