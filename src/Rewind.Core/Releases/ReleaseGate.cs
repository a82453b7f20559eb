using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Releases;

/// <summary>Whether deploying a release could do harm.</summary>
/// <param name="Allowed">False for a release that is bad or rolled back.</param>
/// <param name="State">The recorded state; null for a version not recorded yet.</param>
/// <param name="Incident">The incident the release was marked in, when there was one.</param>
/// <param name="Reason">One sentence for the operator or pipeline.</param>
public sealed record ReleaseVerdict(bool Allowed, ReleaseState? State, string? Incident, string Reason);

/// <summary>
/// Decides whether a version may be deployed (again), so a pipeline or GitOps hook can refuse to re-apply a release
/// that hurt users. A bad or rolled-back release is refused for good: the state machine has no move back to a good
/// state, so the fix is a new version. Unknown versions (new releases) and deploying, baking or stable ones are allowed.
/// </summary>
public static class ReleaseGate
{
    /// <summary>True for the states a release is never deployed again from.</summary>
    public static bool Refuses(ReleaseState state) => state is ReleaseState.Bad or ReleaseState.RolledBack;

    /// <param name="component">The component, for the reason.</param>
    /// <param name="version">The version asked about, for the reason.</param>
    /// <param name="release">The recorded release, or null when the version is not recorded.</param>
    /// <param name="leftBy">The rollback that left this release, when one did: it names the rollback and when it happened.</param>
    public static ReleaseVerdict Check(string component, string version, Release? release, Rollback? leftBy = null)
    {
        if (release is null)
        {
            return new ReleaseVerdict(true, null, null, "not recorded yet: a new release");
        }

        var state = release.State;
        if (!Refuses(state))
        {
            return new ReleaseVerdict(true, state, release.Incident, Allowed(state));
        }

        var incident = release.Incident ?? leftBy?.IncidentId;
        var inIncident = incident is null ? "" : $" in incident {incident}";
        var rolledBack = leftBy is null ? "" : $"rolled back by {leftBy.Id}{At(leftBy)}";
        var what = state == ReleaseState.RolledBack
            ? $"was {(leftBy is null ? "rolled back" : rolledBack)}{inIncident}"
            : $"was marked bad{inIncident}{(leftBy is null ? "" : $" ({rolledBack})")}";
        return new ReleaseVerdict(false, state, incident, $"{version} of {component} {what}; deploying it again would bring the fault back. Fix forward with a new version.");
    }

    private static string Allowed(ReleaseState state) => state switch
    {
        ReleaseState.Stable => "stable: it ran healthy for its bake time",
        ReleaseState.Baking => "baking: serving and watched, not marked bad",
        _ => $"{ReleaseStateMachine.Describe(state)}: not marked bad",
    };

    private static string At(Rollback rollback) => rollback.FinishedAt is { } at ? $" at {Timestamps.Format(at)}" : "";
}
