using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Core.Releases;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Releases;
using Rewind.Engine.Runbooks;
using Rewind.Server.Access;

namespace Rewind.Server.Api;

internal static class RollbackEndpoints
{
    public static void MapRollbackEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/rollbacks", ListAsync);
        api.MapGet("/rollbacks/{id}", GetAsync);
        api.MapPost("/rollbacks", RequestAsync).RequireAuthorization(Roles.Operator);
        api.MapPost("/rollbacks/{id}/abort", AbortAsync).RequireAuthorization(Roles.Operator);
        api.MapGet("/rollbacks/{id}/events", EventsAsync);
        api.MapPost("/groups/{name}/rollback", GroupAsync).RequireAuthorization(Roles.Operator);
        api.MapGet("/rollbacks/{id}/steps/{index:int}/members", MembersAsync);
    }

    private static async Task<Results<Accepted<GroupRollbackDto>, Ok<GroupPlanDto>, ProblemHttpResult>> GroupAsync(string name, GroupRollbackRequest request, HttpContext context, GroupCoordinator groups, RollbackCoordinator coordinator, IStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 2000)
        {
            return Problems.Invalid("invalid rollback request", "reason is required (at most 2000 characters): the record must say why");
        }

        if (request.Emergency && !request.DryRun)
        {
            AuditMiddleware.AddDetail(context, "emergency: pauses skipped");
        }

        var outcome = request.DryRun
            ? await groups.PlanAsync(name, request.Emergency, cancellationToken)
            : await groups.RequestAsync(name, request.Reason.Trim(), AccessPolicies.Actor(context), request.Emergency, cancellationToken);
        if (outcome.UnknownGroup)
        {
            return Problems.NotFound("unknown group", outcome.Refusal!);
        }

        if (outcome.Refusal is { } why)
        {
            return Problems.Conflict("rollback refused", why + (request.DryRun ? "" : "; nothing was touched"));
        }

        if (request.DryRun)
        {
            var plans = new List<RollbackPlanDto>();
            foreach (var (component, plan) in outcome.Plans)
            {
                plans.Add(plan.ToDto(component, (await store.GetComponentAsync(component, cancellationToken))?.CurrentVersion) with
                {
                    Approval = await PlannedApproval.ForAsync(coordinator, component, AccessPolicies.Actor(context), cancellationToken),
                });
            }

            return TypedResults.Ok(new GroupPlanDto(name, plans));
        }

        return TypedResults.Accepted($"/api/v1/rollbacks/{outcome.Rollbacks[0].Id}", new GroupRollbackDto(name, [.. outcome.Rollbacks.Select(r => r.ToDto())]));
    }

    /// <summary>Stops a rollback (<see cref="AbortWorkflow"/>): 200 when one waiting for approval was cancelled, 202 when a running one was asked to stop.</summary>
    private static async Task<Results<Accepted<RollbackDto>, Ok<RollbackDto>, ProblemHttpResult>> AbortAsync(string id, AbortRollbackRequest request, HttpContext context, AbortWorkflow aborts, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 2000)
        {
            return Problems.Invalid("invalid abort", "reason is required (at most 2000 characters): the record must say why the rollback was stopped");
        }

        var outcome = await aborts.AbortAsync(id, AccessPolicies.Actor(context), request.Reason.Trim(), cancellationToken);
        return outcome switch
        {
            { Refusal: { } refusal } => Problems.From(refusal),
            { Value.Interrupted: true } => TypedResults.Accepted($"/api/v1/rollbacks/{id}", outcome.Value.Rollback.ToDto()),
            _ => TypedResults.Ok(outcome.Value!.Rollback.ToDto()),
        };
    }

    private static async Task<Ok<List<RollbackDto>>> ListAsync(IStore store, CancellationToken cancellationToken, string? component = null, int limit = 50) =>
        TypedResults.Ok((await store.GetRollbacksAsync(Math.Clamp(limit, 1, 500), component, cancellationToken)).Select(r => r.ToDto()).ToList());

    private static async Task<Results<Ok<RollbackDto>, ProblemHttpResult>> GetAsync(string id, IStore store, CancellationToken cancellationToken) =>
        await store.GetRollbackAsync(id, cancellationToken) is { } rollback
            ? TypedResults.Ok(rollback.ToDto(await store.GetMemberCountsAsync(id, cancellationToken)))
            : Problems.NotFound("unknown rollback", $"rollback {id} does not exist");

    private static async Task<Results<Ok<List<MemberDto>>, ProblemHttpResult>> MembersAsync(string id, int index, IStore store, CancellationToken cancellationToken)
    {
        if (await store.GetRollbackAsync(id, cancellationToken) is not { } rollback || rollback.Steps.All(s => s.Index != index))
        {
            return Problems.NotFound("unknown step", $"rollback {id} has no step {index}");
        }

        return TypedResults.Ok((await store.GetMembersAsync(id, index, cancellationToken))
            .Select(m => new MemberDto(m.Member, m.Status.ToString().ToLowerInvariant(), m.Attempts, m.StartedAt, m.FinishedAt, m.Output)).ToList());
    }

    /// <summary>
    /// The rollback as Server-Sent Events: its state (with batch progress) now, then again whenever it changes, until it
    /// is finished. Read from the store every 250 ms, so it follows a rollback whichever controller runs it.
    /// </summary>
    private static async Task<Results<ServerSentEventsResult<RollbackDto>, ProblemHttpResult>> EventsAsync(string id, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetRollbackAsync(id, cancellationToken) is null)
        {
            return Problems.NotFound("unknown rollback", $"rollback {id} does not exist");
        }

        return TypedResults.ServerSentEvents(Follow(id, store, time, cancellationToken), eventType: "rollback");
    }

    private static async IAsyncEnumerable<RollbackDto> Follow(string id, IStore store, TimeProvider time, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        var quietSince = time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested && await store.GetRollbackAsync(id, cancellationToken) is { } rollback)
        {
            var dto = rollback.ToDto(await store.GetMemberCountsAsync(id, cancellationToken));
            var text = System.Text.Json.JsonSerializer.Serialize(dto, RewindJson.Options);
            if (text != last || time.GetElapsedTime(quietSince) > KeepAlive)
            {
                (last, quietSince) = (text, time.GetTimestamp());
                yield return dto; // a repeat now and then keeps proxies from closing a quiet stream
            }

            if (!rollback.IsActive)
            {
                yield break;
            }

            await Task.Delay(FollowInterval, time, cancellationToken);
        }
    }

    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private static async Task<Results<Accepted<RollbackDto>, Ok<RollbackPlanDto>, ProblemHttpResult>> RequestAsync(RollbackRequest request, HttpContext context, ConfigHolder config, RollbackCoordinator coordinator, IStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Component))
        {
            return Problems.Invalid("invalid rollback request", "component is required");
        }

        if (request.ToVersion is not null && !ReleaseVersion.IsValid(request.ToVersion))
        {
            return Problems.Invalid("invalid rollback request", $"toVersion '{request.ToVersion}' is not a valid version");
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 2000)
        {
            return Problems.Invalid("invalid rollback request", "reason is required (at most 2000 characters): the record must say why");
        }

        if (request.Policy is { } policy && config.Component(request.Component) is { } declared && !declared.Policies.ContainsKey(policy))
        {
            return Problems.Invalid("invalid rollback request", $"{request.Component} has no policy '{policy}' (policies: {string.Join(", ", declared.Policies.Keys)})");
        }

        if (request.DryRun)
        {
            var planned = await coordinator.PlanAsync(request.Component, Options(request), cancellationToken);
            return planned switch
            {
                { UnknownComponent: true } => Problems.NotFound("unknown component", planned.Refusal!),
                { Refusal: { } why } => Problems.Conflict("rollback refused", why),
                _ => TypedResults.Ok(planned.Plan!.ToDto(request.Component, (await store.GetComponentAsync(request.Component, cancellationToken))?.CurrentVersion) with
                {
                    Approval = await PlannedApproval.ForAsync(coordinator, request.Component, AccessPolicies.Actor(context), cancellationToken),
                }),
            };
        }

        var requestedBy = AccessPolicies.Actor(context);
        if (request.Emergency)
        {
            AuditMiddleware.AddDetail(context, "emergency: pauses skipped");
        }

        if (request.AllowSchemaChange)
        {
            AuditMiddleware.AddDetail(context, "schema change allowed");
        }

        var outcome = await coordinator.RequestAsync(request.Component, request.Reason.Trim(), requestedBy, null, Options(request), null, cancellationToken);
        return outcome switch
        {
            { UnknownComponent: true } => Problems.NotFound("unknown component", outcome.Refusal!),
            { Refusal: { } why } => Problems.Conflict("rollback refused", why + "; nothing was touched"),
            { ConflictId: { } active } => await ConflictAsync(coordinator, store, request.Component, active, cancellationToken),
            _ => TypedResults.Accepted($"/api/v1/rollbacks/{outcome.Rollback!.Id}", outcome.Rollback.ToDto()),
        };
    }

    /// <summary>409 for a second rollback of a component: "already running", or "awaiting approval" with how to decide on the one that waits.</summary>
    private static async Task<ProblemHttpResult> ConflictAsync(RollbackCoordinator coordinator, IStore store, string component, string active, CancellationToken cancellationToken)
    {
        var awaiting = await store.GetRollbackAsync(active, cancellationToken) is { Status: RollbackStatus.Awaiting };
        return Problems.Conflict(awaiting ? "rollback awaiting approval" : "rollback already running", await coordinator.ConflictAsync(component, active, cancellationToken));
    }

    private static PlanOptions Options(RollbackRequest request) => new(request.ToVersion, request.Emergency, request.Policy, request.AllowSchemaChange);
}
