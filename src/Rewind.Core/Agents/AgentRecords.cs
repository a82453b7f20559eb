using System.Text.RegularExpressions;
using Rewind.Core.Configuration;

namespace Rewind.Core.Agents;

/// <summary>
/// An agent's token: scoped to one host, good for the agent endpoints only (polling that host's work and reporting it).
/// Only its hash is stored; the token itself is shown once, when it is made.
/// </summary>
public sealed record AgentToken(string Id, string Host, string Description, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt = null)
{
    /// <summary>Agent tokens start with this, so that a leaked one is told from a person's (<c>rwt_</c>) at a glance.</summary>
    public const string Prefix = "rwa_";

    /// <summary>Why the token cannot be used at <paramref name="now"/>, or null when it can.</summary>
    public string? Refusal(DateTimeOffset now) => RevokedAt is { } revoked
        ? $"agent token {Id} was revoked at {Timestamps.Format(revoked)}"
        : ExpiresAt is { } expires && expires <= now ? $"agent token {Id} expired at {Timestamps.Format(expires)}" : null;
}

/// <summary>An agent as it last polled: its host, its process (a new instance id at each start), version and address.</summary>
public sealed record AgentRecord(string Host, string Instance, string Version, string? Address, DateTimeOffset StartedAt, DateTimeOffset FirstSeen, DateTimeOffset SeenAt);

/// <summary>
/// What the agent of <see cref="Host"/> last measured of the backup repository of <see cref="Component"/>, a cluster on
/// that host (the controller cannot read it there): when its newest WAL file was archived and its newest base backup
/// finished, or why the repository could not be read. <see cref="ReceivedAt"/> is the controller's clock.
/// </summary>
public sealed record HostBackupState(string Component, string Host, DateTimeOffset ReceivedAt, DateTimeOffset? NewestWal, DateTimeOffset? NewestSet, string? Error);

/// <summary>Host names as the config and agent tokens give them.</summary>
public static partial class HostNames
{
    /// <summary>Lower-case letters, digits, '.' and '-', starting with a letter or digit, at most 63 characters (e.g. <c>app-1</c>, <c>db.eu-1</c>).</summary>
    public static bool IsValid(string? host) => host is not null && HostName().IsMatch(host);

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,62}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HostName();
}
