namespace Rewind.Engine.Approvals;

/// <summary>The person deciding, as the host authenticated them: their name and their roles.</summary>
internal sealed record Decider(string Name, IReadOnlyList<string> Roles);

/// <summary>
/// One person's approval or denial of a rollback: the rollback, the decision, an optional note for the record (at most
/// 2000 characters) and a TOTP code where the rule asks for a second factor.
/// </summary>
internal sealed record ApprovalRequest(string RollbackId, bool Approve, Decider Decider, string? Note, string? Code = null);
