using Rewind.Client;
using Rewind.Core.Storage;

using Rewind.Engine.Hosting;
using Rewind.Engine.Shares;

namespace Rewind.Server.Hosting;

/// <summary>The leadership as the health answer, <c>rewind status</c> and the dashboard show it.</summary>
internal static class LeadershipView
{
    /// <summary>A replica that has not said it is alive for this long (three heartbeats) is not counted as alive.</summary>
    public static readonly TimeSpan AliveWithin = ReplicaHeartbeat.Every * 3;

    public static async Task<LeadershipDto> ReadAsync(Leadership leadership, WatchShare share, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var shares = share.Shares.Where(s => s.Live).ToDictionary(s => s.Replica, s => s.Components, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var lease = leadership.Lease;
        var leader = lease is { IsHeld: true } ? lease.Holder : null;
        var replicas = await store.GetReplicasAsync(cancellationToken);
        var role = !leadership.Shared ? "sole" : leadership.IsLeader ? "leader" : "follower";
        return new LeadershipDto(
            leadership.Replica,
            role,
            leader,
            lease?.Epoch ?? 0,
            leadership.Shared ? lease?.Age?.TotalMilliseconds : null,
            leadership.Shared ? leadership.Ttl.TotalMilliseconds : null,
            [.. replicas.Select(r => new ReplicaDto(r.Name, r.Host, r.Pid, r.Version, r.Listen, r.StartedAt, r.SeenAt, r.Name == leader, now - r.SeenAt <= AliveWithin, shares.TryGetValue(r.Name, out var watching) ? watching : null))]);
    }
}
