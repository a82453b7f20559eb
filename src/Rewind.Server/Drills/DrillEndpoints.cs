using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Drills;
using Rewind.Core.Storage;
using Rewind.Engine.Drills;
using Rewind.Engine.Hosting;
using Rewind.Server.Access;
using Rewind.Server.Api;

namespace Rewind.Server.Drills;

/// <summary>
/// Game days over the API: the declared drills with their trend, starting a run (refused while something real is open on
/// its components), the runs with their reports, and aborting one. The leader runs requested runs one at a time.
/// </summary>
internal static class DrillEndpoints
{
    private const int TrendRuns = 50;

    public static void MapDrillEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/drills", ListAsync);
        api.MapPost("/drills/{name}/runs", StartAsync).RequireAuthorization(Roles.Operator);
        api.MapGet("/drill-runs", RunsAsync);
        api.MapGet("/drill-runs/{id}", GetAsync);
        api.MapPost("/drill-runs/{id}/abort", AbortAsync).RequireAuthorization(Roles.Operator);
    }

    private static async Task<Ok<List<DrillDto>>> ListAsync(ConfigHolder config, IStore store, CancellationToken cancellationToken)
    {
        var drills = new List<DrillDto>();
        var current = config.Current;
        foreach (var (name, drill) in current.Drills.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var runs = await store.GetDrillRunsAsync(name, TrendRuns, cancellationToken);
            drills.Add(drill.ToDto(name, DrillRunner.ComponentsOf(current, drill), runs));
        }

        return TypedResults.Ok(drills);
    }

    private static async Task<Results<Accepted<DrillRunDto>, ProblemHttpResult>> StartAsync(string name, StartDrillRequest? request, HttpContext context, ConfigHolder config, DrillRunner runner, CancellationToken cancellationToken)
    {
        if (config.Current.Drills.GetValueOrDefault(name) is not { } drill)
        {
            return Problems.NotFound("unknown drill", $"drill {name} is not in the config; declared: {string.Join(", ", config.Current.Drills.Keys.Order(StringComparer.Ordinal))}");
        }

        if (request?.Reason is { Length: > 2000 })
        {
            return Problems.Invalid("invalid drill request", "reason: at most 2000 characters");
        }

        if (!string.IsNullOrWhiteSpace(request?.Reason))
        {
            AuditMiddleware.AddDetail(context, $"reason: {request.Reason.Trim()}");
        }

        var run = await runner.RequestAsync(name, drill, AccessPolicies.Actor(context), scheduled: false, cancellationToken);
        if (run.Status == DrillRunStatus.Refused)
        {
            return Problems.Conflict("drill refused", $"drill {name} was not started ({run.Id}, recorded as refused): {run.Summary}");
        }

        AuditMiddleware.AddDetail(context, $"drill run {run.Id} of {name} requested: its fault is made by the leader within seconds");
        return TypedResults.Accepted($"/api/v1/drill-runs/{run.Id}", run.ToDto());
    }

    private static async Task<Ok<List<DrillRunDto>>> RunsAsync(string? drill, IStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.GetDrillRunsAsync(drill, 200, cancellationToken)).Select(r => r.ToDto()).ToList());

    private static async Task<Results<Ok<DrillRunDto>, ProblemHttpResult>> GetAsync(string id, IStore store, CancellationToken cancellationToken) =>
        await store.GetDrillRunAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(run.ToDto())
            : Problems.NotFound("unknown drill run", $"no drill run {id}");

    private static async Task<Results<Ok<DrillRunDto>, ProblemHttpResult>> AbortAsync(string id, AbortDrillRequest? request, HttpContext context, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetDrillRunAsync(id, cancellationToken) is not { } run)
        {
            return Problems.NotFound("unknown drill run", $"no drill run {id}");
        }

        if (!run.IsOpen)
        {
            return Problems.Conflict("drill run ended", $"{id} is {DrillRun.Describe(run.Status)} already");
        }

        var by = AccessPolicies.Actor(context);
        var why = string.IsNullOrWhiteSpace(request?.Reason) ? "no reason given" : request.Reason.Trim();
        var aborted = run with
        {
            Status = DrillRunStatus.Aborted,
            FinishedAt = run.Status == DrillRunStatus.Requested ? time.GetUtcNow() : null,
            Summary = $"aborted by {by}: {why}",
        };
        if (!await store.UpdateDrillRunAsync(aborted, run.Status, cancellationToken))
        {
            return Problems.Conflict("drill run changed", $"{id} changed while it was being aborted; look again");
        }

        return TypedResults.Ok((await store.GetDrillRunAsync(id, cancellationToken))!.ToDto());
    }
}
