namespace Rewind.Core.Releases;

/// <summary>One version of a component that was deployed.</summary>
public sealed record Release(
    string Component,
    string Version,
    ReleaseState State,
    DateTimeOffset RecordedAt,
    string? Commit = null,
    string? Artifact = null,
    string? RecordedBy = null,
    DateTimeOffset? StableAt = null,
    string? Incident = null)
{
    /// <summary>The database schema the release runs on (the id of its newest migration), when its deploy said so.</summary>
    public string? Schema { get; init; }

    /// <summary>
    /// When the release was first seen serving: its version read from the component's version source, or the first
    /// request counted for it. Null until then. Time to detect is measured from it.
    /// </summary>
    public DateTimeOffset? FirstServedAt { get; init; }

    /// <summary>True when this release may be the target of a rollback.</summary>
    public bool IsKnownGood => State == ReleaseState.Stable;
}
