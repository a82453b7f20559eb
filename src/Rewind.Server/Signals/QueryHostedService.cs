using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Runtime.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// Runs every component's PromQL queries on their interval and hands each result to the decision engine as the signal
/// named after the query. An empty result is an answer (no data); a failed query counts against the source.
/// </summary>
internal sealed class QueryHostedService(
    ConfigHolder config,
    PromQlClient client,
    DecisionEngine engine,
    TimeProvider time,
    ILogger<QueryHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private const string Kind = "query";

    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => c.Components.ToDictionary(x => x.Key, x => x.Value.Queries, StringComparer.Ordinal), (current, cancellationToken) =>
            Task.WhenAll(current.Components.SelectMany(c => c.Value.Queries.Select(q => RunAsync(c.Key, q.Key, q.Value, cancellationToken)))), stoppingToken);

    private Task RunAsync(string component, string name, QueryConfig query, CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(query.Interval, time, async cancellationToken =>
        {
            var result = await client.QueryAsync(query, cancellationToken);
            if (result.Error is { } error)
            {
                await engine.ObserveSourceFailureAsync(component, Kind, name, error, cancellationToken);
            }
            else
            {
                await engine.ObserveSourceSuccessAsync(component, Kind, name, cancellationToken);
            }

            // No data says why (an empty result, NaN, or the failure), so evidence never shows a bare "no data".
            var why = result.Value is null ? result.Description : null;
            await engine.ObserveSignalAsync(new SignalPoint(component, name, time.GetUtcNow(), result.Value, why), cancellationToken);
        }, ex => ServerLog.MonitorLoopFailed(logger, ex, component, name), stoppingToken);
}
