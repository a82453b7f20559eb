using Rewind.Client;
using Rewind.Core.Approvals;
using Rewind.Engine.Runbooks;

namespace Rewind.Server.Api;

/// <summary>The approval a dry run says the rollback will wait for, matched as the real request would be.</summary>
internal static class PlannedApproval
{
    public static async Task<ApprovalNeededDto?> ForAsync(RollbackCoordinator coordinator, string component, string requestedBy, CancellationToken cancellationToken)
    {
        if (await coordinator.ApprovalRuleAsync(component, requestedBy, cancellationToken) is not { } matched)
        {
            return null;
        }

        var rule = matched.Rule;
        return new ApprovalNeededDto(
            matched.Index + 1,
            rule.AnyOf,
            rule.AllOf,
            rule.TwoPerson,
            rule.SecondFactor,
            rule.DecideWithin,
            ApprovalMatrix.Evaluate(rule, requestedBy, []).Missing,
            coordinator.OnTimeout(rule, requestedBy, component));
    }
}
