namespace Rewind.Runtime.Backups;

/// <summary>The stages of a restore, in order; a failed result names the one it stopped in.</summary>
public enum RestorePhase
{
    Preparing,
    RestoringFiles,
    Recovering,
    Verifying,
    Swapping,
    Completed,
}

/// <summary>One verification query and what it returned (or why it failed).</summary>
public sealed record RestoreCheck(string Query, bool Passed, string Result);

/// <summary>What a restore did. Failures are values; the live data directory is untouched unless <see cref="Phase"/> is <see cref="RestorePhase.Completed"/> with a swap.</summary>
public sealed record RestoreResult(bool Succeeded, RestorePhase Phase, string Message)
{
    public string? SetId { get; init; }

    /// <summary>Where the restored data directory is now: the live path after a swap, else the directory beside it.</summary>
    public string? RestoredDirectory { get; init; }

    /// <summary>Where the previous live data directory was moved by the swap.</summary>
    public string? ReplacedDirectory { get; init; }

    public long BytesRestored { get; init; }

    public TimeSpan FilesDuration { get; init; }

    public TimeSpan RecoveryDuration { get; init; }

    public TimeSpan Duration { get; init; }

    public IReadOnlyList<RestoreCheck> Checks { get; init; } = [];

    /// <summary>The commit time of the last transaction recovery replayed (<c>pg_last_xact_replay_timestamp()</c>): the newest data the restore holds.</summary>
    public DateTimeOffset? LastReplayedCommit { get; init; }

    /// <summary>The restored server's log tail when recovery failed.</summary>
    public string? ServerLog { get; init; }
}
