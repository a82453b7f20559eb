using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rewind.Core.Access;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;
using Rewind.Engine.Agents;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Engine.Policies;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the controller watched like any other service. Anonymous by default, like a Prometheus exporter:
/// it shows names of components, probes, policies, channels and agents' hosts and counts, never a secret, a URL or a version;
/// <c>server.metrics-require-token</c> puts it behind an API token.
/// </summary>
internal static class MetricsEndpoints
{
    public static void MapMetricsEndpoints(this IEndpointRouteBuilder app, bool requireToken)
    {
        var metrics = app.MapGet("/metrics", GetMetricsAsync).ExcludeFromDescription();
        if (requireToken)
        {
            metrics.RequireAuthorization(Roles.Viewer);
        }
        else
        {
            metrics.AllowAnonymous();
        }
    }

    private static async Task<IResult> GetMetricsAsync(ControllerMetrics metrics, ConfigHolder config, HealthBoard board, DecisionEngine engine, IStore store, StoreHealth storeHealth, ControllerFaults faults, Leadership leadership, TimeProvider time, CancellationToken cancellationToken)
    {
        var components = config.Current.Components;
        metrics.ProbeUp.Replace(
            from c in components
            from p in c.Value.Probes
            let failing = board.IsFailing(c.Key, p.Key, p.Value.FailureThreshold)
            where failing is not null
            select (failing == true ? 0d : 1d, new[] { c.Key, p.Key }));
        metrics.PolicyFiring.Replace(
            from c in components
            from p in c.Value.Policies
            select (engine.StateOf(c.Key, p.Key).Firing ? 1d : 0d, new[] { c.Key, p.Key }));
        metrics.MonitorOverloaded.Set(board.Monitor.Status(time.GetUtcNow()).Overloaded ? 1 : 0);
        metrics.StoreWritable.Set(storeHealth.Status().Writable ? 1 : 0);
        var active = faults.Active();
        metrics.ControllerFault.Replace(ControllerFaultKinds.All.Select(kind => (active.Any(f => f.Kind == kind) ? 1d : 0d, new[] { kind })));
        metrics.Leader.Replace([(leadership.IsLeader ? 1d : 0d, new[] { leadership.Replica })]);
        if (leadership.Lease is { } lease)
        {
            metrics.LeaderEpoch.Set(lease.Epoch);
            metrics.LeaseAge.Replace(leadership.Shared && lease.Age is { } age ? [(age.TotalSeconds, [])] : []);
        }

        await ReadStoreAsync(metrics, config, store, cancellationToken);
        metrics.Replicas.Replace(await CountReplicasAsync(store, time, cancellationToken));
        await ReadAgentsAsync(metrics, config, store, time, cancellationToken);
        return Results.Text(await metrics.Registry.WriteAsync(cancellationToken), MetricsRegistry.ContentType);
    }

    private static async Task<IEnumerable<(double, string[])>> CountReplicasAsync(IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            return [((await store.GetReplicasAsync(cancellationToken)).Count(r => now - r.SeenAt <= LeadershipView.AliveWithin), [])];
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return []; // the store's own gauge says it is down
        }
    }

    private static async Task ReadAgentsAsync(ControllerMetrics metrics, ConfigHolder config, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            var hosts = AgentHosts.Read(config.Current, await store.GetAgentsAsync(cancellationToken), now);
            metrics.AgentConnected.Replace(hosts.Select(h => (h.Connected ? 1d : 0d, new[] { h.Host })));
            metrics.AgentLastContact.Replace(hosts.Where(h => h.Agent is not null).Select(h => (Math.Max(0, (now - h.Agent!.SeenAt).TotalSeconds), new[] { h.Host })));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.AgentConnected.Replace([]); // the store's own gauge says it is down
            metrics.AgentLastContact.Replace([]);
        }
    }

    // One failing query must not blank the page: the store's own gauge says it is down and the rest is still written.
    private static async Task ReadStoreAsync(ControllerMetrics metrics, ConfigHolder config, IStore store, CancellationToken cancellationToken)
    {
        try
        {
            var latency = await store.PingAsync(cancellationToken);
            metrics.StoreLatency.Set(latency.TotalSeconds);
            metrics.StoreUp.Set(1);

            // One query for every open incident, not one per component: at 10,000 components the page must still answer.
            var open = Enum.GetValues<Severity>().ToDictionary(s => s, _ => 0);
            foreach (var incident in (await store.GetOpenIncidentsAsync(cancellationToken)).Where(i => config.Current.Components.ContainsKey(i.Component)))
            {
                open[incident.Severity]++;
            }

            metrics.IncidentsOpen.Replace(open.Select(o => ((double)o.Value, new[] { o.Key.ToString() })));

            var depth = (await store.GetOutboxDepthAsync(cancellationToken)).ToDictionary(d => d.Channel, StringComparer.Ordinal);
            var channels = config.Current.Notifications.Channels.Keys.Union(depth.Keys, StringComparer.Ordinal).ToList();
            metrics.OutboxDepth.Replace(channels.Select(c => ((double)(depth.GetValueOrDefault(c)?.Pending ?? 0), new[] { c })));
            metrics.OutboxFailed.Replace(channels.Select(c => ((double)(depth.GetValueOrDefault(c)?.Failed ?? 0), new[] { c })));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.StoreUp.Set(0);
            metrics.StoreLatency.Replace([]);
        }
    }
}
