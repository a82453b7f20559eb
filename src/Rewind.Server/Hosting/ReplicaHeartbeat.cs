using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Storage;

using Rewind.Engine.Hosting;

namespace Rewind.Server.Hosting;

/// <summary>
/// Says in the store, every <see cref="Every"/>, that this replica is alive (not fenced: leader or not); forgets it on a
/// clean stop. The leader forgets replicas not seen for <see cref="ForgetAfter"/>.
/// </summary>
internal sealed class ReplicaHeartbeat(IStore store, Leadership leadership, ServerClock clock, ConfigHolder config, RewindServerOptions options, TimeProvider time, ILogger<ReplicaHeartbeat> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    public static string Version { get; } = typeof(ReplicaHeartbeat).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    private readonly StoreOutageLog _outage = new(time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PeriodicLoop.RunAsync(Every, time, BeatAsync, Failed, stoppingToken);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            await store.RemoveReplicaAsync(leadership.Replica, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // forgotten by the leader later
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.SaveReplicaAsync(new ReplicaRecord(leadership.Replica, Environment.MachineName, Environment.ProcessId, Version, options.Listen ?? config.Current.Server.Listen, clock.StartedAt, now), cancellationToken);
        if (leadership.IsLeader)
        {
            foreach (var gone in (await store.GetReplicasAsync(cancellationToken)).Where(r => now - r.SeenAt > ForgetAfter))
            {
                await store.RemoveReplicaAsync(gone.Name, cancellationToken);
            }
        }
    }

    private void Failed(Exception error)
    {
        if (_outage.Filter(error) is { } shown)
        {
            LeadershipLog.HeartbeatFailed(logger, shown, leadership.Replica);
        }
    }
}
