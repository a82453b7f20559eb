namespace Rewind.Storage;

/// <summary>How a replica names its database sessions, so that a new leader can find and end an old leader's.</summary>
internal static class LeaderSessions
{
    /// <summary>PostgreSQL keeps the first 63 bytes of an application name.</summary>
    private const int MaxLength = 63;

    public const string FencedPrefix = "rewind-leader:";

    /// <summary>The sessions a leader writes through: <c>rewind-leader:EPOCH:REPLICA</c>.</summary>
    public static string ApplicationName(long epoch, string replica) => Bound($"{FencedPrefix}{epoch}:{replica}");

    /// <summary>The one session that holds a replica's place in the lease: <c>rewind-lease:REPLICA</c>.</summary>
    public static string LeaseSession(string replica) => Bound($"rewind-lease:{replica}");

    private static string Bound(string name) => name.Length <= MaxLength ? name : name[..MaxLength];
}
