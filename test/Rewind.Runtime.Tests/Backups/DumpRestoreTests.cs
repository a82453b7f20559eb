using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>Restores from dumps in a repository in a directory and in object storage.</summary>
public abstract class DumpRestoreTests(DumpScenario scenario, bool inObjectStorage)
{

    [Fact]
    public async Task RestoreTablesAsync_RowsDeletedAndChanged_NewSchemaHoldsExactlyTheDumpedRowsAndTheLiveTableIsUntouched()
    {
        var shop = await scenario.CreateShopAsync();
        var original = await scenario.RowsAsync(shop, Orders("public"));
        var (repository, set) = await DumpAsync(shop, scenario.Key);
        await scenario.ExecuteAsync(shop, "DELETE FROM orders WHERE id % 3 = 0; UPDATE orders SET qty = -1 WHERE id < 10; INSERT INTO orders (item, qty) VALUES ('late', 7)");
        var live = await scenario.RowsAsync(shop, Orders("public"));

        var result = await new DumpRestore(repository, DumpScenario.Tools).RestoreTablesAsync(new TableRestoreRequest(scenario.Url(shop), shop, ["orders"]));

        result.Succeeded.ShouldBeTrue(result.Message);
        var schema = "rewind_restore_" + set.SetId.ToLowerInvariant();
        result.Tables.ShouldBe([new RestoredTable("public.orders", $"{schema}.orders", 50)]);
        (await scenario.RowsAsync(shop, Orders(schema))).ShouldBe(original);
        (await scenario.RowsAsync(shop, Orders("public"))).ShouldBe(live);
        (await scenario.RowsAsync("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'rewind_scratch_%'")).ShouldBeEmpty();
        Directory.GetFileSystemEntries(repository.WorkDirectory).ShouldBeEmpty();
    }

    [Fact]
    public async Task RestoreTablesAsync_TablesOfTwoSchemasIntoANamedSchema_BothThere()
    {
        var shop = await scenario.CreateShopAsync();
        var (repository, _) = await DumpAsync(shop, null);
        await scenario.ExecuteAsync(shop, "TRUNCATE sales.refunds");

        var result = await new DumpRestore(repository, DumpScenario.Tools).RestoreTablesAsync(new TableRestoreRequest(scenario.Url(), shop, ["sales.refunds", "orders"]) { Schema = "compare" });

        result.Succeeded.ShouldBeTrue(result.Message);
        result.Tables.Select(t => (t.Source, t.Target, t.Rows)).ShouldBe([("sales.refunds", "compare.refunds", 5L), ("public.orders", "compare.orders", 50L)]);
        (await scenario.RowsAsync(shop, "SELECT id, amount FROM compare.refunds ORDER BY id")).ShouldBe(["1|1.50", "2|3.00", "3|4.50", "4|6.00", "5|7.50"]);
        (await scenario.RowsAsync(shop, "SELECT count(*) FROM sales.refunds")).ShouldBe(["0"]);
    }

    [Fact]
    public async Task RestoreTablesAsync_SchemaExists_RefusedWithoutTouchingIt()
    {
        var shop = await scenario.CreateShopAsync();
        var (repository, _) = await DumpAsync(shop, null);

        var result = await new DumpRestore(repository, DumpScenario.Tools).RestoreTablesAsync(new TableRestoreRequest(scenario.Url(), shop, ["orders"]) { Schema = "sales" });

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"schema sales exists in {shop}: tables are restored only into a new schema; name another one or drop it");
        (await scenario.RowsAsync(shop, "SELECT count(*) FROM sales.refunds")).ShouldBe(["5"]);
    }

    [Fact]
    public async Task RestoreTablesAsync_TableNotInTheDump_FailsAndLeavesNothing()
    {
        var shop = await scenario.CreateShopAsync();
        var (repository, set) = await DumpAsync(shop, scenario.Key);

        var result = await new DumpRestore(repository, DumpScenario.Tools).RestoreTablesAsync(new TableRestoreRequest(scenario.Url(), shop, ["invoices"]));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"table invoices is not in dump {set.SetId}");
        (await scenario.RowsAsync(shop, $"SELECT 1 FROM pg_namespace WHERE nspname = 'rewind_restore_{set.SetId.ToLowerInvariant()}'")).ShouldBeEmpty();
        (await scenario.RowsAsync("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'rewind_scratch_%'")).ShouldBeEmpty();
    }

    [Fact]
    public async Task RestoreTablesAsync_WrongKey_FailsSayingSo()
    {
        var shop = await scenario.CreateShopAsync();
        var (repository, set) = await DumpAsync(shop, scenario.Key);
        var other = BackupKey.FromBytes(new byte[BackupKey.Length]);
        var wrong = new BackupRepository(repository.Options with { Key = other });

        var result = await new DumpRestore(wrong, DumpScenario.Tools).RestoreTablesAsync(new TableRestoreRequest(scenario.Url(), shop, ["orders"]));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"dump {set.SetId} is encrypted with key {scenario.Key.Id}, but the given key is {other.Id}: wrong key");
    }

    [Fact]
    public async Task RestoreDatabaseAsync_NewName_HoldsEveryTableAndRow()
    {
        var shop = await scenario.CreateShopAsync();
        var (repository, set) = await DumpAsync(shop, scenario.Key);
        var into = shop + "_copy";

        var result = await new DumpRestore(repository, DumpScenario.Tools).RestoreDatabaseAsync(new DatabaseRestoreRequest(scenario.Url(), shop, into));

        result.Succeeded.ShouldBeTrue(result.Message);
        result.Message.ShouldBe($"restored {shop} from dump {set.SetId} into the new database {into}: 2 table(s)");
        (await scenario.RowsAsync(into, Orders("public"))).ShouldBe(await scenario.RowsAsync(shop, Orders("public")));
        (await scenario.RowsAsync(into, "SELECT sum(amount) FROM sales.refunds")).ShouldBe(["22.50"]);
    }

    [Fact]
    public async Task RestoreDatabaseAsync_ExistingName_RefusedAndTheDatabaseIsUntouched()
    {
        var (shop, other) = (await scenario.CreateShopAsync(), await scenario.CreateShopAsync());
        var (repository, _) = await DumpAsync(shop, null);
        await scenario.ExecuteAsync(other, "DELETE FROM orders WHERE id > 10");

        var result = await new DumpRestore(repository, DumpScenario.Tools).RestoreDatabaseAsync(new DatabaseRestoreRequest(scenario.Url(), shop, other));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"database {other} exists: a dump is restored only into a new database; choose another name");
        (await scenario.RowsAsync(other, "SELECT count(*) FROM orders")).ShouldBe(["10"]);
    }

    [Fact]
    public async Task RestoreDatabaseAsync_FlippedByteInTheStoredDump_FailsBeforeCreatingTheDatabase()
    {
        var shop = await scenario.CreateShopAsync();
        var (repository, set) = await DumpAsync(shop, scenario.Key);
        var stored = $"dumps/{set.SetId}/{shop}.dump.gz.enc";
        var bytes = (await scenario.Store(inObjectStorage).ReadAsync(repository.Root, stored)).ShouldNotBeNull();
        bytes[bytes.Length / 2] ^= 0x01;
        await scenario.Store(inObjectStorage).WriteAsync(repository.Root, stored, bytes);

        var result = await new DumpRestore(repository, DumpScenario.Tools).RestoreDatabaseAsync(new DatabaseRestoreRequest(scenario.Url(), shop, shop + "_bad"));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldStartWith($"dump {set.SetId}/{shop}.dump: chunk 0 failed authentication");
        (await scenario.RowsAsync("postgres", $"SELECT 1 FROM pg_database WHERE datname = '{shop}_bad'")).ShouldBeEmpty();
    }

    private static string Orders(string schema) => $"SELECT id, item, qty FROM {schema}.orders ORDER BY id";

    private async Task<(BackupRepository Repository, DumpManifest Set)> DumpAsync(string database, BackupKey? key)
    {
        var repository = scenario.Repository(key, inObjectStorage: inObjectStorage);
        var result = await new LogicalDump(repository, DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), [database]));
        result.Succeeded.ShouldBeTrue(result.Message);
        return (repository, result.Manifest!);
    }

    [Collection(DumpScenarioGroup.Name)]
    public sealed class InDirectory(DumpScenario scenario) : DumpRestoreTests(scenario, inObjectStorage: false);

    [Collection(DumpScenarioGroup.Name)]
    public sealed class InObjectStorage(DumpScenario scenario) : DumpRestoreTests(scenario, inObjectStorage: true);
}
