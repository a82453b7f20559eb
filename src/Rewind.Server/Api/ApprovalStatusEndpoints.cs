using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Approvals;
using Rewind.Core.Incidents;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Server.Access;

namespace Rewind.Server.Api;

/// <summary>
/// <c>GET /api/v1/rollbacks/{id}/approvals</c>: who decided so far (on the request and at each approval step, while the
/// rollback runs and after it), and for a rollback awaiting approval, the rule that
/// covers it, what is missing, and whether the caller may approve. Approving itself is judged again by
/// <see cref="ApprovalEndpoints"/>; this answer only lets a page show the right people the right buttons.
/// </summary>
internal static class ApprovalStatusEndpoints
{
    public static void MapApprovalStatusEndpoints(this IEndpointRouteBuilder api) => api.MapGet("/rollbacks/{id}/approvals", GetAsync);

    private static async Task<Results<Ok<ApprovalStatusDto>, ProblemHttpResult>> GetAsync(string id, HttpContext context, ConfigHolder config, IStore store, CancellationToken cancellationToken)
    {
        if (await store.GetRollbackAsync(id, cancellationToken) is not { } rollback)
        {
            return Problems.NotFound("unknown rollback", $"rollback {id} does not exist");
        }

        var approvals = await store.GetApprovalsAsync(id, cancellationToken);
        var decided = approvals.Select(a => ToDto(a, null)).ToList();
        foreach (var gate in rollback.Steps.Where(s => s.Plan is ApprovalStep).OrderBy(s => s.Index))
        {
            decided.AddRange((await store.GetGateApprovalsAsync(id, gate.Index, cancellationToken)).Select(a => ToDto(a, gate.Index)));
        }

        var status = rollback.Status.ToString().ToLowerInvariant();
        var severity = rollback.IncidentId is { } incident ? (await store.GetIncidentAsync(incident, cancellationToken))?.Severity ?? Severity.P2 : Severity.P2;
        if (rollback.Status != RollbackStatus.Awaiting || ApprovalMatrix.RuleFor(config.Current.Approvals, rollback.Component, severity, rollback.RequestedBy) is not { } matched)
        {
            return TypedResults.Ok(new ApprovalStatusDto(id, status, rollback.RequestedBy, null, decided, null, false, rollback.Status == RollbackStatus.Awaiting ? null : $"{id} is not waiting for approval"));
        }

        var rule = matched.Rule;
        var actor = AccessPolicies.Actor(context);
        var refusal = ApprovalMatrix.Refusal(rule, rollback.RequestedBy, actor, AccessPolicies.RolesOf(context.User))
            ?? (approvals.Any(a => string.Equals(a.Approver, actor, StringComparison.Ordinal)) ? $"{actor} has decided on {id} already" : null);
        var (_, missing) = ApprovalMatrix.Evaluate(rule, rollback.RequestedBy, approvals);
        return TypedResults.Ok(new ApprovalStatusDto(
            id,
            status,
            rollback.RequestedBy,
            new ApprovalRuleDto(rule.AnyOf, rule.AllOf, rule.TwoPerson, rule.SecondFactor, rollback.RequestedAt + rule.DecideWithin)
            {
                Number = matched.Index + 1,
                OnTimeout = ApprovalMatrix.ProceedsOnTimeout(rule, rollback.RequestedBy, config.Component(rollback.Component)) ? "proceeds" : "escalates",
            },
            decided,
            missing,
            refusal is null,
            refusal));
    }

    private static ApprovalDto ToDto(Approval approval, int? step) =>
        new(approval.Approver, approval.Roles, approval.Approved, approval.At, approval.Note) { Step = step };
}
