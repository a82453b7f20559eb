using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>Logical dumps into a repository in a directory and in object storage.</summary>
public abstract class LogicalDumpTests(DumpScenario scenario, bool inObjectStorage)
{
    [Fact]
    public async Task RunAsync_TwoDatabases_OneSetWithAnEncryptedCompressedFileEach()
    {
        var (shop, other) = (await scenario.CreateShopAsync(), await scenario.CreateShopAsync());
        var repository = scenario.Repository(scenario.Key, inObjectStorage: inObjectStorage);

        var result = await new LogicalDump(repository, DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), [shop, other]));

        result.Succeeded.ShouldBeTrue(result.Message);
        var set = result.Manifest!;
        set.Databases.ShouldBe(new[] { shop, other }.Order(StringComparer.Ordinal));
        set.KeyId.ShouldBe(scenario.Key.Id);
        set.ToolVersion.ShouldStartWith("pg_dump (PostgreSQL) 15");
        var file = set.FileOf(shop)!;
        (file.Compression, file.Encrypted).ShouldBe((StoredCompression.Gzip, true));
        var stored = (await Store.ReadAsync(repository.Root, $"dumps/{set.SetId}/{shop}.dump.gz.enc")).ShouldNotBeNull();
        stored.LongLength.ShouldBe(file.StoredSize);
        stored.AsSpan(0, 8).ToArray().ShouldBe("RWENC001"u8.ToArray());
        (await repository.ReadDumpAsync(set.SetId)).ShouldBe(set, new ManifestComparer());
        Directory.GetFileSystemEntries(repository.WorkDirectory).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_NoCompressionNoKey_StoresPgDumpsOwnArchive()
    {
        var shop = await scenario.CreateShopAsync();
        var repository = scenario.Repository(null, StoredCompression.None, inObjectStorage);

        var result = await new LogicalDump(repository, DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), [shop]));

        result.Succeeded.ShouldBeTrue(result.Message);
        var stored = (await Store.ReadAsync(repository.Root, $"dumps/{result.Manifest!.SetId}/{shop}.dump")).ShouldNotBeNull();
        stored.AsSpan(0, 5).ToArray().ShouldBe("PGDMP"u8.ToArray());
        result.Manifest.FileOf(shop)!.Size.ShouldBe(stored.LongLength);
    }

    [Fact]
    public async Task RunAsync_MissingDatabase_FailsWithPgDumpsMessageAndLeavesNoSet()
    {
        var repository = scenario.Repository(scenario.Key, inObjectStorage: inObjectStorage);

        var result = await new LogicalDump(repository, DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), ["postgres", "nowhere"]));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldStartWith("pg_dump of nowhere exit 1");
        result.Message.ShouldContain("\"nowhere\" does not exist");
        (await Store.KeysAsync(repository.Root, "dumps/")).ShouldBeEmpty();
        Directory.GetFileSystemEntries(repository.WorkDirectory).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_BadDatabaseName_RefusedBeforeRunningAnything()
    {
        var result = await new LogicalDump(scenario.Repository(null, inObjectStorage: inObjectStorage), DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), ["../etc"]));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldContain("name at least one database");
    }

    private RepositoryStore Store => scenario.Store(inObjectStorage);

    private sealed class ManifestComparer : IEqualityComparer<DumpManifest?>
    {
        public bool Equals(DumpManifest? x, DumpManifest? y) => x is not null && y is not null && x.SetId == y.SetId && x.Files.SequenceEqual(y.Files);

        public int GetHashCode(DumpManifest? obj) => obj?.SetId.GetHashCode(StringComparison.Ordinal) ?? 0;
    }

    [Collection(DumpScenarioGroup.Name)]
    public sealed class InDirectory(DumpScenario scenario) : LogicalDumpTests(scenario, inObjectStorage: false);

    [Collection(DumpScenarioGroup.Name)]
    public sealed class InObjectStorage(DumpScenario scenario) : LogicalDumpTests(scenario, inObjectStorage: true);
}
