namespace Rewind.Client;

/// <summary>A user and their roles (viewer, operator, approver, admin, or custom names used by the authorisation matrix).</summary>
public sealed record UserDto(string Name, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DisabledAt);

/// <summary>Body of <c>POST /api/v1/users</c>.</summary>
public sealed record CreateUserRequest(string Name, IReadOnlyList<string> Roles);

/// <summary>Body of <c>POST /api/v1/users/{name}/tokens</c>: <see cref="ExpiresIn"/> is a duration such as 90d, or "never"; default 90d.</summary>
public sealed record CreateTokenRequest(string? Description = null, string? ExpiresIn = null);

/// <summary>A new token: <see cref="Token"/> is shown this once and never again.</summary>
public sealed record CreatedTokenDto(string Id, string User, string Token, DateTimeOffset? ExpiresAt);

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenDto(string Id, string User, string Description, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>A TOTP enrolment: put <see cref="ProvisioningUri"/> (or <see cref="Secret"/>) into an authenticator app. Shown once.</summary>
public sealed record TotpEnrolmentDto(string User, string Secret, string ProvisioningUri);

/// <summary>Who the caller is.</summary>
public sealed record WhoAmIDto(string Name, IReadOnlyList<string> Roles, string? TokenId);

/// <summary>
/// One audit entry with its place in the hash chain. <c>Count</c>: how many requests it stands for, 1 except for refused
/// requests counted over a window (<c>server.limits.refusal-window</c>).
/// </summary>
public sealed record AuditEntryDto(long Seq, DateTimeOffset At, string Actor, string Action, string Target, string Source, string Result, string Detail, string PreviousHash, string Hash, long Count = 1);

/// <summary>The result of checking the audit log's hash chain from its first entry.</summary>
public sealed record AuditVerificationDto(long Entries, bool Intact, IReadOnlyList<string> Problems, string? LastHash);
