using Rewind.Core.Storage;

namespace Rewind.Storage.Tests;

/// <summary>
/// One migrated store per test class, plus fresh empty locations on demand (for migration tests).
/// Every store it opens and every database it makes is removed on dispose, even when tests fail.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly List<IStore> _opened = [];
    private IStore? _store;

    /// <summary>The migrated store the contract tests share; tests keep apart by component names and days.</summary>
    public IStore Store => _store ?? throw new InvalidOperationException("the store fixture is not initialised");

    public abstract string Dialect { get; }

    /// <summary>Makes a new, empty database and returns its store location (<c>sqlite:…</c> or <c>postgres://…</c>).</summary>
    public abstract Task<string> CreateEmptyLocationAsync();

    /// <summary>Opens a store on <paramref name="location"/>; it is disposed with the fixture.</summary>
    public IStore Open(string location)
    {
        var store = StoreFactory.Open(location);
        _opened.Add(store);
        return store;
    }

    public async Task InitializeAsync()
    {
        var store = Open(await CreateEmptyLocationAsync());
        await store.MigrateAsync();
        _store = store;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        await RemoveLocationsAsync();
    }

    protected abstract Task RemoveLocationsAsync();
}
