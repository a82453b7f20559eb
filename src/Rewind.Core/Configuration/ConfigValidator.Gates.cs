using Rewind.Core.Access;
using Rewind.Core.Policies;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Configuration;

/// <summary>Checks of approval steps: gates in the middle of a plan.</summary>
internal static partial class ConfigValidator
{
    private static void ValidateApprovalStep(string at, ApprovalStepConfig gate, ComponentConfig component, Action<object, string?, string> add)
    {
        foreach (var role in gate.AnyOf.Concat(gate.AllOf).Where(r => !Roles.IsValidName(r)))
        {
            add(gate, gate.AnyOf.Contains(role, StringComparer.Ordinal) ? "any-of" : "all-of", $"{at}: role '{role}': lower-case letters, digits and '-', starting with a letter");
        }

        if (gate.DecideWithin <= TimeSpan.Zero)
        {
            add(gate, "decide-within", $"{at}.decide-within: must be positive");
        }

        if (string.IsNullOrWhiteSpace(gate.Message))
        {
            add(gate, "message", $"{at}.message: say what the approvers are asked");
        }
        else if (PlanTemplate.Check(gate.Message, memberAllowed: false) is { } error)
        {
            add(gate, "message", $"{at}.message: {error}");
        }
        else if (PlanTemplate.Secrets(gate.Message).Any())
        {
            add(gate, "message", $"{at}.message: no secrets in the message (it is written on the timeline and sent to channels)");
        }

        if (gate.OnTimeout == GateTimeout.Proceed && !component.Policies.Values.Any(p => p.Mode == PolicyMode.Auto))
        {
            add(gate, "on-timeout", $"{at}.on-timeout: proceed applies only to rollbacks an auto-mode policy asks for, and this component has none; use fail or escalate-and-wait");
        }
    }
}
