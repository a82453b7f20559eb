using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

[Collection(DumpScenarioGroup.Name)]
public sealed class LogicalDumpTests(DumpScenario scenario)
{
    [Fact]
    public async Task RunAsync_TwoDatabases_OneSetWithAnEncryptedCompressedFileEach()
    {
        var (shop, other) = (await scenario.CreateShopAsync(), await scenario.CreateShopAsync());
        var repository = scenario.Repository(scenario.Key);

        var result = await new LogicalDump(repository, DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), [shop, other]));

        result.Succeeded.ShouldBeTrue(result.Message);
        var set = result.Manifest!;
        set.Databases.ShouldBe(new[] { shop, other }.Order(StringComparer.Ordinal));
        set.KeyId.ShouldBe(scenario.Key.Id);
        set.ToolVersion.ShouldStartWith("pg_dump (PostgreSQL) 15");
        var file = set.FileOf(shop)!;
        (file.Compression, file.Encrypted).ShouldBe((StoredCompression.Gzip, true));
        var stored = Path.Combine(repository.Root, "dumps", set.SetId, shop + ".dump.gz.enc");
        new FileInfo(stored).Length.ShouldBe(file.StoredSize);
        (await File.ReadAllBytesAsync(stored)).AsSpan(0, 8).ToArray().ShouldBe("RWENC001"u8.ToArray());
        (await repository.ReadDumpAsync(set.SetId)).ShouldBe(set, new ManifestComparer());
        Directory.GetFileSystemEntries(Path.Combine(repository.Root, "tmp")).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_NoCompressionNoKey_StoresPgDumpsOwnArchive()
    {
        var shop = await scenario.CreateShopAsync();
        var repository = scenario.Repository(null, StoredCompression.None);

        var result = await new LogicalDump(repository, DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), [shop]));

        result.Succeeded.ShouldBeTrue(result.Message);
        var stored = Path.Combine(repository.Root, "dumps", result.Manifest!.SetId, shop + ".dump");
        (await File.ReadAllBytesAsync(stored)).AsSpan(0, 5).ToArray().ShouldBe("PGDMP"u8.ToArray());
        result.Manifest.FileOf(shop)!.Size.ShouldBe(new FileInfo(stored).Length);
    }

    [Fact]
    public async Task RunAsync_MissingDatabase_FailsWithPgDumpsMessageAndLeavesNoSet()
    {
        var repository = scenario.Repository(scenario.Key);

        var result = await new LogicalDump(repository, DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), ["postgres", "nowhere"]));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldStartWith("pg_dump of nowhere exit 1");
        result.Message.ShouldContain("\"nowhere\" does not exist");
        Directory.Exists(Path.Combine(repository.Root, "dumps")).ShouldBeFalse();
        Directory.GetFileSystemEntries(Path.Combine(repository.Root, "tmp")).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_BadDatabaseName_RefusedBeforeRunningAnything()
    {
        var result = await new LogicalDump(scenario.Repository(null), DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), ["../etc"]));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldContain("name at least one database");
    }

    private sealed class ManifestComparer : IEqualityComparer<DumpManifest?>
    {
        public bool Equals(DumpManifest? x, DumpManifest? y) => x is not null && y is not null && x.SetId == y.SetId && x.Files.SequenceEqual(y.Files);

        public int GetHashCode(DumpManifest? obj) => obj?.SetId.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
