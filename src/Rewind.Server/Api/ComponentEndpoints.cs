using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Engine.Releases;
using Rewind.Engine.Signals;

namespace Rewind.Server.Api;

internal static class ComponentEndpoints
{
    public static void MapComponentEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/components", ListAsync);
        api.MapGet("/components/{name}", GetAsync);
        api.MapGet("/components/{name}/backups", BackupRunsAsync);
    }

    private static async Task<Results<Ok<List<BackupRunDto>>, ProblemHttpResult>> BackupRunsAsync(string name, ConfigHolder config, IStore store, CancellationToken cancellationToken, int limit = 50) =>
        config.Component(name) is null
            ? Problems.NotFound("unknown component", $"component {name} is not in the config")
            : TypedResults.Ok((await store.GetBackupRunsAsync(name, Math.Clamp(limit, 1, 500), cancellationToken)).Select(ToDto).ToList());

    private static BackupRunDto ToDto(Core.Backups.BackupRun run) => new(run.Kind, run.StartedAt, run.FinishedAt, run.Succeeded, run.Summary);

    private static async Task<Ok<List<ComponentDto>>> ListAsync(ConfigHolder config, IStore store, HealthBoard board, ReleaseEvidence evidence, TimeProvider time, CancellationToken cancellationToken)
    {
        var result = new List<ComponentDto>();
        foreach (var name in config.Current.Components.Keys.Order(StringComparer.Ordinal))
        {
            result.Add(await DescribeAsync(name, config, store, board, evidence, time, cancellationToken));
        }

        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<ComponentDto>, ProblemHttpResult>> GetAsync(string name, ConfigHolder config, IStore store, HealthBoard board, ReleaseEvidence evidence, TimeProvider time, CancellationToken cancellationToken) =>
        config.Component(name) is null
            ? Problems.NotFound("unknown component", $"component {name} is not in the config")
            : TypedResults.Ok(await DescribeAsync(name, config, store, board, evidence, time, cancellationToken));

    internal static async Task<ComponentDto> DescribeAsync(string name, ConfigHolder config, IStore store, HealthBoard board, ReleaseEvidence evidence, TimeProvider time, CancellationToken cancellationToken)
    {
        var component = config.Component(name)!;
        var state = await store.GetComponentAsync(name, cancellationToken);
        var releases = await store.GetReleasesAsync(name, cancellationToken);
        var current = releases.FirstOrDefault(r => string.Equals(r.Version, state?.CurrentVersion, StringComparison.Ordinal));
        var incident = await store.GetOpenIncidentAsync(name, cancellationToken);
        var rollbacks = await store.GetRollbacksAsync(1, name, cancellationToken);
        var probes = component.Probes.Select(p =>
        {
            var sample = board.Latest(name, p.Key);
            var health = board.IsFailing(name, p.Key, p.Value.FailureThreshold) switch
            {
                null when board.NotMeasuredSince(name, p.Key) is not null => "not measured", // a host's probe whose agent is silent
                null => "unknown",
                true => "failing",
                false => sample!.Success ? "healthy" : "blip", // failed, fewer times in a row than its failure-threshold
            };
            return new ProbeHealthDto(p.Key, health, sample?.At, sample?.LatencyMs, sample?.Error);
        }).ToList();
        return new ComponentDto(
            name,
            component.Provider.Kind,
            state?.CurrentVersion,
            current is null ? null : ReleaseStateMachine.Describe(current.State),
            state?.CurrentSince,
            LastKnownGood.Select(releases, state?.CurrentVersion)?.Version,
            board.Health(name, HealthBoard.Thresholds(component)),
            probes,
            incident?.Id,
            rollbacks.Count > 0 && rollbacks[0].IsActive ? rollbacks[0].Id : null,
            (await store.GetActiveMaintenanceAsync(name, time.GetUtcNow(), cancellationToken))?.EndsAt)
        {
            Evidence = current is { State: ReleaseState.Baking or ReleaseState.Deploying } ? (await evidence.ForPromotionAsync(name, current, cancellationToken)).Summary : null,
            Backups = component.Backups is null ? null : [.. (await store.GetBackupRunsAsync(name, 50, cancellationToken)).GroupBy(r => r.Kind, StringComparer.Ordinal).Select(g => ToDto(g.First()))],
            RollbackRefusal = RollbackPlanner.Plan(name, component, state, releases, new PlanOptions()).Refusal,
        };
    }
}
