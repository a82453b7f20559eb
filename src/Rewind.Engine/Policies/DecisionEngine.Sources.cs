using System.Collections.Concurrent;
using Rewind.Core.Incidents;

namespace Rewind.Engine.Policies;

/// <summary>
/// Signal sources that fail (a scrape, a PromQL query whose Prometheus is down) are inconclusive: after three failures
/// in a row an incident says so and pages; nothing rolls back on missing data unless a policy says <c>no-data: holds</c>.
/// Failures while a deploy is in progress, a rollback acts or a maintenance is declared are not counted: a restart gap
/// is not an inconclusive signal.
/// </summary>
internal sealed partial class DecisionEngine
{
    private const int InconclusiveAfter = 3;
    private readonly ConcurrentDictionary<(string Component, string Source), int> _sourceFailures = new();

    /// <summary>A source failed; <paramref name="kind"/> is <c>scrape</c> or <c>query</c>.</summary>
    public async Task ObserveSourceFailureAsync(string componentName, string kind, string name, string error, CancellationToken cancellationToken = default)
    {
        var source = $"{kind}:{name}";
        if (await ShieldedAsync(componentName, cancellationToken))
        {
            _sourceFailures.TryRemove((componentName, source), out _);
            return; // a restart gap of a deploy, a rollback or a maintenance: counted from when the shield ends
        }

        var failures = _sourceFailures.AddOrUpdate((componentName, source), 1, (_, n) => n + 1);
        if (failures != InconclusiveAfter)
        {
            return;
        }

        if (await ShieldedAsync(componentName, cancellationToken, fresh: true))
        {
            _sourceFailures.TryRemove((componentName, source), out _);
            return; // read again before opening an incident: the shield had begun
        }

        var now = time.GetUtcNow();
        var version = (await facts.GetAsync(componentName, cancellationToken)).Version;
        var incident = await store.GetOpenIncidentAsync(componentName, cancellationToken)
            ?? await store.OpenIncidentAsync(componentName, Severity.P3, $"{componentName}: signal {name} inconclusive", source, version, now, source, cancellationToken);
        await Timeline(incident.Id, TimelineKinds.Evidence, $"{kind} {name} failed {failures} times in a row: {error}", source, cancellationToken);
        await Timeline(incident.Id, TimelineKinds.Escalation, $"signal {name} is inconclusive: no data is not health, and no rollback is made on missing data; a human must look", Actor, cancellationToken);
    }

    /// <summary>A deploy in progress, a rollback acting or a declared maintenance: a source failing now says nothing about a release.</summary>
    private async Task<bool> ShieldedAsync(string componentName, CancellationToken cancellationToken, bool fresh = false) =>
        (fresh ? await facts.ReadAsync(componentName, cancellationToken) : await facts.GetAsync(componentName, cancellationToken)) is var held
        && (held.RollbackActive || held.MaintenanceAt(time.GetUtcNow()) is not null || await DeployWindowAsync(componentName, cancellationToken) is not null);

    public async Task ObserveSourceSuccessAsync(string componentName, string kind, string name, CancellationToken cancellationToken = default)
    {
        var source = $"{kind}:{name}";
        if (_sourceFailures.TryRemove((componentName, source), out var failures) && failures >= InconclusiveAfter
            && await store.GetOpenIncidentAsync(componentName, cancellationToken) is { } incident)
        {
            await Timeline(incident.Id, TimelineKinds.Evidence, $"{kind} {name} answers again after {failures} failures", source, cancellationToken);
            if (incident.Policy == source)
            {
                await ResolveAsync(incident.Id, $"signal {name} is back; incident resolved", cancellationToken);
            }
        }
    }
}
