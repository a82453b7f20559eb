using System.Collections.Concurrent;
using Rewind.Core.Configuration;
using Rewind.Core.Policies;
using Rewind.Core.Releases;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Policies;

/// <summary>
/// What the decision engine's gate needs of each component, held in memory so that an observation in the steady state
/// reads nothing from the store: the release serving (as recorded), an active rollback, the maintenance windows not
/// ended. Kept fresh two ways: the store counts its own writes that change these facts (a release recorded, a deploy
/// started or finished, a rollback requested, decided or ended, a maintenance declared or ended), so a write of this
/// process is seen by the very next observation; and <see cref="RefreshAsync"/> reads every component again in a few
/// queries once a <see cref="RefreshPeriod"/>, for the writes of other processes (an API on another replica, the CLI).
/// A copy older than <see cref="MaxAge"/> (the refresh is late or failing) is never used: it is read again.
/// </summary>
/// <remarks>
/// A stale copy can delay a decision, never make a wrong one: before the engine acts (a policy fires, an incident is
/// opened or resolved, a rollback requested, a deploy ended) it reads the facts it acts on from the store again
/// (<see cref="ReadAsync"/>) and acts only when they still hold. At most a <see cref="RefreshPeriod"/> late, that way.
/// </remarks>
internal sealed class DecisionFacts(IStore store, ConfigHolder config, TimeProvider time)
{
    /// <summary>How often every component's facts are read again in bulk: 1 s.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The oldest copy used: 2 s; an older one is read again at its next use.</summary>
    public static readonly TimeSpan MaxAge = 2 * RefreshPeriod;

    private readonly ConcurrentDictionary<string, ComponentFacts> _facts = new(StringComparer.Ordinal);

    /// <summary>The component's facts: the copy held when it is fresh, else read from the store.</summary>
    public ValueTask<ComponentFacts> GetAsync(string component, CancellationToken cancellationToken = default) =>
        _facts.TryGetValue(component, out var held) && held.Changes == store.ChangesOf(component) && time.GetUtcNow() - held.ReadAt < MaxAge
            ? ValueTask.FromResult(held)
            : new ValueTask<ComponentFacts>(ReadAsync(component, cancellationToken));

    /// <summary>Reads the component's facts from the store now (before acting on them) and holds them.</summary>
    public async Task<ComponentFacts> ReadAsync(string component, CancellationToken cancellationToken = default)
    {
        var changes = store.ChangesOf(component);
        var at = time.GetUtcNow();
        var version = (await store.GetComponentAsync(component, cancellationToken))?.CurrentVersion;
        var release = version is null ? null : await store.GetReleaseAsync(component, version, cancellationToken);
        var rollback = await store.GetRollbacksAsync(1, component, cancellationToken) is [{ IsActive: true }];
        var maintenance = await store.GetMaintenanceWindowsAsync(at, component, cancellationToken);
        var facts = new ComponentFacts(version, release, rollback, maintenance, changes, at);
        _facts[component] = facts;
        return facts;
    }

    /// <summary>Reads the facts of every configured component again, in four queries whatever their number.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var names = config.Current.Components.Keys.ToList();
        var changes = names.ToDictionary(n => n, store.ChangesOf, StringComparer.Ordinal); // taken first: a write meanwhile makes its copy stale
        var at = time.GetUtcNow();
        var versions = (await store.GetComponentsAsync(cancellationToken)).ToDictionary(c => c.Name, c => c.CurrentVersion, StringComparer.Ordinal);
        var releases = (await store.GetCurrentReleasesAsync(cancellationToken)).ToDictionary(r => r.Component, StringComparer.Ordinal);
        var rollbacks = (await store.GetActiveRollbacksAsync(cancellationToken)).Select(r => r.Component).ToHashSet(StringComparer.Ordinal);
        var maintenance = (await store.GetMaintenanceWindowsAsync(at, cancellationToken: cancellationToken)).ToLookup(w => w.Component, StringComparer.Ordinal);
        foreach (var name in names)
        {
            var version = versions.GetValueOrDefault(name);
            var release = releases.GetValueOrDefault(name) is { } current && string.Equals(current.Version, version, StringComparison.Ordinal) ? current : null;
            var read = new ComponentFacts(version, release, rollbacks.Contains(name), [.. maintenance[name]], changes[name], at);
            _facts.AddOrUpdate(name, read, (_, held) => held.ReadAt > at ? held : read); // a component read alone meanwhile keeps that newer read
        }
    }
}

/// <summary>
/// A component's facts as read at <see cref="ReadAt"/>: its current version and release, whether a rollback is active,
/// its maintenance windows not ended then; <see cref="Changes"/> is the store's count of its writes when read.
/// </summary>
internal sealed record ComponentFacts(string? Version, Release? Release, bool RollbackActive, IReadOnlyList<MaintenanceWindow> Maintenance, long Changes, DateTimeOffset ReadAt)
{
    /// <summary>The window active at <paramref name="at"/> that ends last, if any.</summary>
    public MaintenanceWindow? MaintenanceAt(DateTimeOffset at)
    {
        MaintenanceWindow? active = null;
        foreach (var window in Maintenance)
        {
            if (window.IsActiveAt(at) && (active is null || window.EndsAt > active.EndsAt))
            {
                active = window;
            }
        }

        return active;
    }
}
