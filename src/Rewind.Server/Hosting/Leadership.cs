using Rewind.Core.Leadership;

namespace Rewind.Server.Hosting;

/// <summary>
/// This replica's part in the leadership of its store: its name, the term it leads in (if any), and the lease as last
/// read. Written by <see cref="LeaderElection"/> only; read by the loops that act as leader (<see cref="LeaderService"/>),
/// the health answer, the metrics and the dashboard. Thread-safe.
/// </summary>
internal sealed class Leadership
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<LeaderTerm> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LeaderTerm? _term;
    private LeaseView? _lease;
    private DateTimeOffset? _leaderlessSince;

    public Leadership(string replica, bool shared, TimeSpan ttl, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replica);
        ArgumentNullException.ThrowIfNull(time);
        Replica = replica;
        Shared = shared;
        Ttl = ttl;
        Time = time;
    }

    /// <summary>This replica's name, unique among the store's controllers.</summary>
    public string Replica { get; }

    /// <summary>False with SQLite: one controller, always the leader.</summary>
    public bool Shared { get; }

    public TimeSpan Ttl { get; }

    /// <summary>The controller's clock, which the loops acting as leader wait on.</summary>
    public TimeProvider Time { get; }

    /// <summary>The term this replica leads in now; null when it follows.</summary>
    public LeaderTerm? Term
    {
        get
        {
            lock (_gate)
            {
                return _term is { IsOver: false } term ? term : null;
            }
        }
    }

    public bool IsLeader => Term is not null;

    /// <summary>The lease as last read by this replica (every campaign or renewal); null before the first read.</summary>
    public LeaseView? Lease
    {
        get
        {
            lock (_gate)
            {
                return _lease;
            }
        }
    }

    /// <summary>Since when no replica has held the lease, as this replica saw it; null while one does.</summary>
    public DateTimeOffset? LeaderlessSince
    {
        get
        {
            lock (_gate)
            {
                return _leaderlessSince;
            }
        }
    }

    /// <summary>The next term this replica leads in (the current one, when it leads now).</summary>
    public Task<LeaderTerm> WaitForTermAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _term is { IsOver: false } term ? Task.FromResult(term) : _next.Task.WaitAsync(cancellationToken);
        }
    }

    internal void Begin(LeaderTerm term)
    {
        lock (_gate)
        {
            _term = term;
            _leaderlessSince = null;
            _next.TrySetResult(term);
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    internal void Observe(LeaseView lease, DateTimeOffset now)
    {
        lock (_gate)
        {
            _lease = lease;
            _leaderlessSince = lease.IsHeld ? null : _leaderlessSince ?? LeaseRanOut(lease, now);
        }
    }

    /// <summary>
    /// When the lease ran out, on this host's clock: how long ago it ran out is measured on the database's clock (both
    /// of its times come from there), so a host whose clock differs from the database's still pages after the lease.
    /// </summary>
    private static DateTimeOffset LeaseRanOut(LeaseView lease, DateTimeOffset now)
    {
        if (lease.ExpiresAt is not { } expires)
        {
            return now;
        }

        var ago = lease.DatabaseNow - expires;
        return ago > TimeSpan.Zero ? now - ago : now;
    }
}
