namespace Rewind.Core.Leadership;

/// <summary>The lease as the database holds it: its holder, its epoch and its times, all on the database's clock.</summary>
public sealed record LeaseView(string? Holder, long Epoch, DateTimeOffset? AcquiredAt, DateTimeOffset? RenewedAt, DateTimeOffset? ExpiresAt, DateTimeOffset DatabaseNow)
{
    /// <summary>True while someone holds the lease and it has not run out.</summary>
    public bool IsHeld => Holder is not null && ExpiresAt is { } expires && expires > DatabaseNow;

    /// <summary>How long ago the lease was last renewed; null when it never was.</summary>
    public TimeSpan? Age => RenewedAt is { } renewed ? DatabaseNow - renewed : null;
}

/// <summary>
/// Leadership among the controllers of one store: one lease, taken and renewed on the database's clock, with an epoch
/// that grows at every taking. PostgreSQL's is shared by every replica; SQLite's is held by its one controller.
/// </summary>
public interface ILeaderLease : IAsyncDisposable
{
    /// <summary>How long a taking or a renewal holds the lease.</summary>
    TimeSpan Ttl { get; }

    /// <summary>False for a store with exactly one controller (SQLite): the lease is always this process's.</summary>
    bool IsShared { get; }

    /// <summary>
    /// Takes the lease when no one holds it: it was released, it ran out, or its holder's database session ended (its
    /// process died). The new epoch, or null when another replica holds it.
    /// </summary>
    Task<long?> TryTakeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Extends the lease held under <paramref name="epoch"/>: false when it is no longer this replica's (taken over, or
    /// its database session ended). Throws when the database does not answer; the caller keeps its own deadline.
    /// </summary>
    Task<bool> RenewAsync(long epoch, CancellationToken cancellationToken);

    /// <summary>Gives the lease up at once (a clean stop), and tells the other replicas.</summary>
    Task ReleaseAsync(long epoch, CancellationToken cancellationToken);

    /// <summary>Waits until another replica may have released the lease, or <paramref name="timeout"/> passes.</summary>
    Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The lease as it stands now.</summary>
    Task<LeaseView> ReadAsync(CancellationToken cancellationToken);
}
