using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Leadership;
using Rewind.Core.Storage;

namespace Rewind.Engine.Shares;

/// <summary>
/// This replica's share lease and the components it watches. Every replica of a PostgreSQL store holds a share (a row
/// renewed every quarter of the lease) and watches the components that rendezvous hashing over the replicas holding a
/// live share gives it, so a replica that joins or leaves moves only the components it must.
/// <para>
/// Handoff never watches a component twice: a replica writes the members it assigns over before it starts watching by
/// them, and reads the others' after; it stops watching a component as soon as it sees another owner for it, and starts
/// watching one it newly owns only once no other live share claims it. A share is live while its renewal counter moved
/// within the lease, as measured on the reader's own clock; its holder stops watching three quarters of the lease after
/// its last renewal started, so it has stopped before any reader can find its share run out. Nothing is left unwatched
/// for longer than the lease plus a renewal.
/// </para>
/// With SQLite (<see cref="Shared"/> false) the one controller holds the only share and watches every component.
/// Not thread-safe: one loop calls <see cref="TickAsync"/>; <see cref="Current"/> and <see cref="Shares"/> may be read anywhere.
/// </summary>
internal sealed class WatchShare
{
    /// <summary>A share not renewed for this many leases is removed from the store by whoever sees it.</summary>
    public const int ForgetAfterLeases = 10;

    private readonly IShareStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (long Renewals, long SeenAt)> _seen = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _published = [];
    private IReadOnlyList<string> _next;
    private long _renewedAt = long.MinValue;
    private volatile WatchSet _current = WatchSet.Empty;
    private volatile IReadOnlyList<ShareState> _shares = [];

    public WatchShare(IShareStore store, string replica, bool shared, TimeSpan ttl, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replica);
        _store = store;
        _time = time;
        _logger = logger;
        Replica = replica;
        Shared = shared;
        Ttl = ttl;
        _next = [replica];
    }

    public string Replica { get; }

    /// <summary>False with SQLite: one controller, holding the only share.</summary>
    public bool Shared { get; }

    /// <summary>The share's length: the leader lease's (<c>server.leader-lease</c>).</summary>
    public TimeSpan Ttl { get; }

    /// <summary>How often the share is renewed and the others' read: a quarter of the lease.</summary>
    public TimeSpan RenewEvery => Shared ? Ttl / 4 : TimeSpan.FromSeconds(1);

    /// <summary>The components watched now; its <see cref="WatchSet.Replaced"/> says when that changes.</summary>
    public WatchSet Current => _current;

    /// <summary>The shares as last read (this replica's included), with how many components each watches.</summary>
    public IReadOnlyList<ShareState> Shares => _shares;

    /// <summary>Renews the share, reads the others' and works out the components to watch among <paramref name="components"/>.</summary>
    public async Task TickAsync(IReadOnlyCollection<string> components, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (!Shared)
        {
            Publish(components.ToHashSet(StringComparer.Ordinal), 1);
            _shares = [new ShareState(Replica, _current.Components.Count, Live: true)];
            return;
        }

        LapseIfStale();
        var started = _time.GetTimestamp();
        IReadOnlyList<ShareRecord> shares;
        try
        {
            // each call bounded, so that a store that hangs cannot keep this replica watching past its share
            using var timeout = new CancellationTokenSource(Ttl / 4, _time);
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await _store.RenewShareAsync(Replica, _next, _current.Components.Count, _time.GetUtcNow(), call.Token);
            _published = _next;
            Volatile.Write(ref _renewedAt, started);
            shares = await _store.GetSharesAsync(call.Token);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            LapseIfStale();
            throw;
        }

        await AssignAsync(components, shares, cancellationToken);
    }

    /// <summary>Stops watching, then gives the share up, so that the others take its components over at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        Publish(new HashSet<string>(StringComparer.Ordinal), _published.Count);
        if (Shared)
        {
            await _store.RemoveShareAsync(Replica, null, cancellationToken);
        }
    }

    /// <summary>
    /// True when <paramref name="component"/> is watched now and the share is not stale: a probe loop asks before each
    /// run, so that a process paused past its share (SIGSTOP, a long pause) does not probe once more before its next
    /// renewal finds out. Thread-safe.
    /// </summary>
    public bool Watches(string component) => _current.Components.Contains(component) && !IsStale();

    /// <summary>Stops watching when the share has not been renewed for three quarters of the lease: before another replica can find it run out.</summary>
    public void LapseIfStale()
    {
        if (!IsStale() || _current.Components.Count == 0)
        {
            return;
        }

        ShareLog.ShareLapsed(_logger, Replica, Durations.Format(_time.GetElapsedTime(Volatile.Read(ref _renewedAt))), Durations.Format(Ttl), _current.Components.Count);
        Publish(new HashSet<string>(StringComparer.Ordinal), 1);
    }

    private async Task AssignAsync(IReadOnlyCollection<string> components, IReadOnlyList<ShareRecord> shares, CancellationToken cancellationToken)
    {
        var live = ObserveLiveness(shares);
        await ForgetLongGoneAsync(shares, cancellationToken);
        List<string> members = [.. live.Select(s => s.Replica).Append(Replica).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _next = members;

        var published = new Owners(_published);
        var current = new Owners(members);
        var others = live.Select(s => (s.Replica, Owners: new Owners(s.Members))).ToList();
        var watched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var component in components)
        {
            var hash = Rendezvous.Hash(component);
            if (published.Owns(hash, Replica) && current.Owns(hash, Replica) && !others.Any(o => o.Owners.Owns(hash, o.Replica)))
            {
                watched.Add(component);
            }
        }

        Publish(watched, members.Count);
        _shares = [.. shares.Select(s => s.Replica == Replica
            ? new ShareState(Replica, watched.Count, Live: true)
            : new ShareState(s.Replica, s.Components, live.Contains(s)))];
    }

    /// <summary>The other replicas' shares whose renewal counter moved within the lease, on this replica's clock.</summary>
    private HashSet<ShareRecord> ObserveLiveness(IReadOnlyList<ShareRecord> shares)
    {
        var now = _time.GetTimestamp();
        var live = new HashSet<ShareRecord>();
        foreach (var share in shares.Where(s => s.Replica != Replica))
        {
            if (!_seen.TryGetValue(share.Replica, out var seen) || seen.Renewals != share.Renewals)
            {
                _seen[share.Replica] = seen = (share.Renewals, now);
            }

            if (_time.GetElapsedTime(seen.SeenAt) <= Ttl)
            {
                live.Add(share);
            }
        }

        foreach (var gone in _seen.Keys.Where(r => shares.All(s => s.Replica != r)).ToList())
        {
            _seen.Remove(gone);
        }

        foreach (var ended in _shares.Where(s => s.Live && s.Replica != Replica && live.All(l => l.Replica != s.Replica)))
        {
            ShareLog.ShareEnded(_logger, Replica, ended.Replica);
        }

        return live;
    }

    /// <summary>Removes the shares of replicas gone for <see cref="ForgetAfterLeases"/> leases (unless renewed meanwhile).</summary>
    private async Task ForgetLongGoneAsync(IReadOnlyList<ShareRecord> shares, CancellationToken cancellationToken)
    {
        foreach (var share in shares.Where(s => s.Replica != Replica && _time.GetElapsedTime(_seen[s.Replica].SeenAt) > Ttl * ForgetAfterLeases))
        {
            try
            {
                await _store.RemoveShareAsync(share.Replica, share.Renewals, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // removed at a later tick: it is not live either way
            }
        }
    }

    /// <summary>Three quarters of the lease since the last renewal started (never before the first one).</summary>
    private bool IsStale()
    {
        var renewed = Volatile.Read(ref _renewedAt);
        return Shared && renewed != long.MinValue && _time.GetElapsedTime(renewed) >= Ttl * 3 / 4;
    }

    private void Publish(HashSet<string> watched, int members)
    {
        var current = _current;
        if (current.Components.SetEquals(watched))
        {
            return;
        }

        _current = new WatchSet(watched);
        current.Replace();
        ShareLog.Watching(_logger, Replica, watched.Count, watched.Count(c => !current.Components.Contains(c)), current.Components.Count(c => !watched.Contains(c)), members);
    }

    /// <summary>A list of members with each name's hash computed once.</summary>
    private sealed class Owners(IReadOnlyList<string> members)
    {
        private readonly ulong[] _hashes = [.. members.Select(Rendezvous.Hash)];

        public bool Owns(ulong component, string member) => string.Equals(Rendezvous.OwnerOf(component, members, _hashes), member, StringComparison.Ordinal);
    }
}

/// <summary>One replica's share as last read: how many components it watches, and whether its lease is live.</summary>
internal sealed record ShareState(string Replica, int Components, bool Live);
