using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Engine.Approvals;
using Rewind.Server.Access;

namespace Rewind.Server.Api;

/// <summary>
/// <c>POST /rollbacks/{id}/approve</c> and <c>/deny</c>: the decider as authenticated, handed to the engine's
/// <see cref="ApprovalWorkflow"/>, which applies the rule that covers the rollback (or its approval step).
/// </summary>
internal static class ApprovalEndpoints
{
    public static void MapApprovalEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/rollbacks/{id}/approve", (string id, RollbackDecisionRequest? request, HttpContext context, ApprovalWorkflow approvals, CancellationToken cancellationToken) =>
            DecideAsync(id, approve: true, request, context, approvals, cancellationToken));
        api.MapPost("/rollbacks/{id}/deny", (string id, RollbackDecisionRequest? request, HttpContext context, ApprovalWorkflow approvals, CancellationToken cancellationToken) =>
            DecideAsync(id, approve: false, request, context, approvals, cancellationToken));
    }

    private static async Task<Results<Ok<RollbackDto>, ProblemHttpResult>> DecideAsync(
        string id, bool approve, RollbackDecisionRequest? request, HttpContext context, ApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        var decider = new Decider(AccessPolicies.Actor(context), AccessPolicies.RolesOf(context.User));
        var outcome = await approvals.DecideAsync(new ApprovalRequest(id, approve, decider, request?.Note, request?.Code), cancellationToken);
        return outcome.Refusal is { } refusal ? Problems.From(refusal) : TypedResults.Ok(outcome.Value!.ToDto());
    }
}
