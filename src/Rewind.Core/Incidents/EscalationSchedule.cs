using Rewind.Core.Configuration;
using Rewind.Core.Approvals;

namespace Rewind.Core.Incidents;

/// <summary>A level of an escalation policy that an incident has reached or will reach: its number (1-based) and settings.</summary>
public sealed record EscalationStep(string Policy, int Level, EscalationLevelConfig Config)
{
    /// <summary>"level 2 (secondary on-call, bob)", the way messages name it.</summary>
    public string Describe() => Config.Contacts.Count == 0 ? $"level {Level}" : $"level {Level} ({string.Join(", ", Config.Contacts)})";
}

/// <summary>
/// The escalation clock, pure: which policy covers an incident, which levels are due at a given time, and what comes
/// next. The incident carries the highest level it reached, so the answer survives restarts: the store is the memory.
/// </summary>
public static class EscalationSchedule
{
    /// <summary>The first policy matching the incident, with its display name; null when none does.</summary>
    public static (EscalationPolicyConfig Policy, string Name)? PolicyFor(IReadOnlyList<EscalationPolicyConfig> policies, Incident incident)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(incident);
        var policy = incident.Policy ?? ApprovalMatrix.Manual;
        for (var i = 0; i < policies.Count; i++)
        {
            if (policies[i].When.Matches(incident.Component, incident.Severity, policy))
            {
                return (policies[i], NameOf(policies[i], i));
            }
        }

        return null;
    }

    public static string NameOf(EscalationPolicyConfig policy, int index)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Name ?? $"escalation[{index}]";
    }

    /// <summary>The level <paramref name="level"/> (1-based) of the policy covering the incident, or null.</summary>
    public static EscalationStep? Level(IReadOnlyList<EscalationPolicyConfig> policies, Incident incident, int level) =>
        PolicyFor(policies, incident) is var (policy, name) && level >= 1 && level <= policy.Levels.Count
            ? new EscalationStep(name, level, policy.Levels[level - 1])
            : null;

    /// <summary>
    /// The levels above the one the incident reached whose time has come and whose condition holds at
    /// <paramref name="now"/>, lowest first. A level whose condition no longer holds (acknowledged meanwhile) is passed
    /// over, not delayed: nobody is paged about what somebody is already handling.
    /// </summary>
    public static IReadOnlyList<EscalationStep> Due(IReadOnlyList<EscalationPolicyConfig> policies, Incident incident, DateTimeOffset now)
    {
        if (!incident.IsOpen || PolicyFor(policies, incident) is not var (policy, name))
        {
            return [];
        }

        var due = new List<EscalationStep>();
        for (var level = incident.EscalationLevel + 1; level <= policy.Levels.Count; level++)
        {
            var config = policy.Levels[level - 1];
            if (now - incident.OpenedAt >= config.After && Holds(config.If, incident))
            {
                due.Add(new EscalationStep(name, level, config));
            }
        }

        return due;
    }

    /// <summary>The next level that can still be reached and when, or null when none can (resolved, last level, or only acknowledged-conditions left on an acknowledged incident).</summary>
    public static (EscalationStep Step, DateTimeOffset At)? Next(IReadOnlyList<EscalationPolicyConfig> policies, Incident incident)
    {
        if (!incident.IsOpen || PolicyFor(policies, incident) is not var (policy, name))
        {
            return null;
        }

        for (var level = incident.EscalationLevel + 1; level <= policy.Levels.Count; level++)
        {
            var config = policy.Levels[level - 1];
            if (Holds(config.If, incident))
            {
                return (new EscalationStep(name, level, config), incident.OpenedAt + config.After);
            }
        }

        return null;
    }

    /// <summary>Why a level is reached, for the timeline: "not acknowledged 15m after opening".</summary>
    public static string Reason(EscalationLevelConfig level)
    {
        ArgumentNullException.ThrowIfNull(level);
        var condition = level.If == EscalationCondition.Unacknowledged ? "not acknowledged" : "not resolved";
        return level.After == TimeSpan.Zero ? $"{condition}: paged at opening" : $"{condition} {Durations.Format(level.After)} after opening";
    }

    public static string Describe(EscalationCondition condition) => condition == EscalationCondition.Unacknowledged ? "unacknowledged" : "unresolved";

    private static bool Holds(EscalationCondition condition, Incident incident) =>
        condition == EscalationCondition.Unresolved || incident.AcknowledgedAt is null;
}
