using Rewind.Core.Access;
using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Storage;

namespace Rewind.Engine.Approvals;

/// <summary>Whether a person may decide under an approval rule: the rule's roles, the two-person rule, a second factor.</summary>
internal static class DeciderCheck
{
    /// <summary>
    /// Null when <paramref name="decider"/> may decide; otherwise why not. Whoever asked may withdraw their own request;
    /// anyone else needs a role the rule counts, and a second factor where it asks.
    /// </summary>
    public static async Task<string?> RefusalAsync(ApprovalRuleConfig rule, bool approve, string requester, Decider decider, string? code, IStore store, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!approve)
        {
            return string.Equals(decider.Name, requester, StringComparison.Ordinal) ? null : ApprovalMatrix.Refusal(rule, "", decider.Name, decider.Roles);
        }

        return ApprovalMatrix.Refusal(rule, requester, decider.Name, decider.Roles)
            ?? (rule.SecondFactor ? await SecondFactorRefusalAsync(decider.Name, code, store, now, cancellationToken) : null);
    }

    /// <summary>A current code of the approver's enrolled authenticator, each time step usable once.</summary>
    private static async Task<string?> SecondFactorRefusalAsync(string actor, string? code, IStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.GetTotpAsync(actor, cancellationToken) is not { } enrolled)
        {
            return $"this approval needs a second factor and {actor} has none: enrol with `rewind user totp`";
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            return "this approval needs a second factor: pass the code from your authenticator (--code)";
        }

        return Totp.Verify(enrolled.Secret, code.Trim(), now, enrolled.LastStep ?? long.MinValue) is { } step && await store.UseTotpStepAsync(actor, step, cancellationToken)
            ? null
            : "the second-factor code is wrong, expired or already used";
    }
}
