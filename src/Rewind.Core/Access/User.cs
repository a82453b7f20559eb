using Rewind.Core.Configuration;

namespace Rewind.Core.Access;

/// <summary>A person (or an automation acting as one) with roles.</summary>
public sealed record User(string Name, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DisabledAt = null)
{
    public bool IsActive => DisabledAt is null;
}

/// <summary>An API token of a user. Only its hash is stored; the token itself is shown once, when it is made.</summary>
public sealed record ApiToken(string Id, string User, string Description, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt = null)
{
    /// <summary>Why the token cannot be used at <paramref name="now"/>, or null when it can.</summary>
    public string? Refusal(DateTimeOffset now) => RevokedAt is { } revoked
        ? $"token {Id} was revoked at {Timestamps.Format(revoked)}"
        : ExpiresAt is { } expires && expires <= now ? $"token {Id} expired at {Timestamps.Format(expires)}" : null;
}
