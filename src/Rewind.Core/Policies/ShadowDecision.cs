namespace Rewind.Core.Policies;

/// <summary>
/// What a policy in shadow mode would have done, and why, without doing it: "would have rolled back web from v2 to v1".
/// Lets a team try new criteria on production before enforcing them.
/// </summary>
public sealed record ShadowDecision(string Component, string Policy, string? Release, DateTimeOffset At, string Action, string Evidence);
