using Rewind.Core.Incidents;
using Rewind.Core.Releases;

namespace Rewind.Core.Runbooks;

/// <summary>
/// The end of a rollback and everything that ends with it, which the store writes in one transaction or not at all: a
/// store fault or a crash never leaves a finished rollback without the entries that tell people about it (and the
/// notifications they feed), nor those entries for a rollback still running, which the executor then retries.
/// </summary>
/// <param name="RollbackId">The rollback; only a pending or running one is finished, otherwise nothing is written.</param>
/// <param name="Status">Succeeded, failed or cancelled.</param>
/// <param name="At">When it ended.</param>
/// <param name="Error">Why it failed or was cancelled; null when it succeeded.</param>
public sealed record RollbackFinish(string RollbackId, RollbackStatus Status, DateTimeOffset At, string? Error)
{
    /// <summary>
    /// The release the rollback left (its <c>from</c> version) moves to this state, with its entry: rolled back when the
    /// rollback succeeded, bad when it failed or was aborted. Skipped, entry included, when that release is not
    /// recorded, is the target itself, is bad or rolled back already, or the state machine forbids the move.
    /// </summary>
    public ReleaseMove? LeftRelease { get; init; }

    /// <summary>The entries that record the end (the <c>rollback-finished</c> or <c>rollback-failed</c> milestone), written after the release's.</summary>
    public IReadOnlyList<TimelineEvent> Entries { get; init; } = [];

    /// <summary>Resolves the incident of this entry and appends it, last; skipped, entry included, when that incident is resolved already.</summary>
    public TimelineEvent? Resolution { get; init; }
}

/// <summary>A release's move to <paramref name="State"/>, and the timeline entry that records it (none when null).</summary>
public sealed record ReleaseMove(ReleaseState State, TimelineEvent? Entry = null);
