namespace Rewind.Storage.Tests;

/// <summary>SQLite store files in a temporary directory of the test class, deleted afterwards.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rewind-storage-tests-").FullName;
    private int _count;

    public override string Dialect => "sqlite";

    public override Task<string> CreateEmptyLocationAsync()
    {
        var file = Path.Combine(_directory, $"store-{Interlocked.Increment(ref _count)}.db");
        return Task.FromResult("sqlite:" + file);
    }

    protected override Task RemoveLocationsAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
