namespace Rewind.Storage.Tests;

/// <summary>The store contract against the embedded SQLite store.</summary>
public sealed class SqliteStoreContractTests(SqliteStoreFixture fixture) : StoreContractTests(fixture), IClassFixture<SqliteStoreFixture>;
