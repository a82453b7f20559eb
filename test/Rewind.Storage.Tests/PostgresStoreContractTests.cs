namespace Rewind.Storage.Tests;

/// <summary>The store contract against PostgreSQL (<c>REWIND_TEST_POSTGRES</c>); fails, never skips, without a server.</summary>
public sealed class PostgresStoreContractTests(PostgresStoreFixture fixture) : StoreContractTests(fixture), IClassFixture<PostgresStoreFixture>;
