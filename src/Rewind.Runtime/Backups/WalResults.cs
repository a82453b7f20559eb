namespace Rewind.Runtime.Backups;

public enum WalPushOutcome
{
    /// <summary>Stored and durable.</summary>
    Archived,

    /// <summary>The archive already holds this name with identical content: success (PostgreSQL retries after crashes).</summary>
    AlreadyArchived,

    /// <summary>The archive holds this name with different content: refused, because overwriting could lose history.</summary>
    Conflict,

    /// <summary>Not a name PostgreSQL archives.</summary>
    InvalidName,

    /// <summary>The source could not be read or the repository not written.</summary>
    Failed,
}

/// <summary>What a push did; <see cref="ExitCode"/> is what an <c>archive_command</c> wrapper exits with.</summary>
public sealed record WalPushResult(WalPushOutcome Outcome, string Message)
{
    public bool Succeeded => Outcome is WalPushOutcome.Archived or WalPushOutcome.AlreadyArchived;

    /// <summary>0 on success, 1 otherwise: PostgreSQL keeps the file and retries the push later.</summary>
    public int ExitCode => Succeeded ? 0 : 1;
}

public enum WalFetchOutcome
{
    Fetched,

    /// <summary>The archive does not hold this name: normal at the end of recovery.</summary>
    NotFound,

    /// <summary>Not a name PostgreSQL archives.</summary>
    InvalidName,

    /// <summary>The file was encrypted with another key (or no key was given).</summary>
    WrongKey,

    /// <summary>The stored file is missing, truncated or fails its checksum.</summary>
    Corrupt,

    /// <summary>The repository could not be read or the destination not written.</summary>
    Failed,
}

/// <summary>What a fetch did; <see cref="ExitCode"/> is what a <c>restore_command</c> wrapper exits with.</summary>
public sealed record WalFetchResult(WalFetchOutcome Outcome, string Message)
{
    /// <summary>
    /// The exit code for a failure PostgreSQL must not mistake for "end of archive". PostgreSQL treats any exit status
    /// above 125 from <c>restore_command</c> as fatal and stops recovery, instead of promoting with WAL missing.
    /// </summary>
    public const int HardFailureExitCode = 255;

    public bool Succeeded => Outcome == WalFetchOutcome.Fetched;

    /// <summary>0 when fetched, 1 when not in the archive (recovery ends normally there), 255 for anything else.</summary>
    public int ExitCode => Outcome switch
    {
        WalFetchOutcome.Fetched => 0,
        WalFetchOutcome.NotFound => 1,
        _ => HardFailureExitCode,
    };
}
