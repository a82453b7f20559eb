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

    /// <summary>
    /// When the release's latest deploy started: the time of its first record since it last became the component's
    /// current release (recorded as deploying, or as deployed when no deploying record came first). <see cref="RecordedAt"/>
    /// moves with every record; this does not, so it is the moment "just before the release" a database restore goes
    /// back to (<c>{{from.recorded-at}}</c>). Null when not known: a release only seen serving (never recorded by a
    /// deploy), or recorded before Rewind kept it. A record that does not start a deploy leaves the stored value as it is.
    /// </summary>
    public DateTimeOffset? DeployStartedAt { get; init; }

    /// <summary>True when this release may be the target of a rollback.</summary>
    public bool IsKnownGood => State == ReleaseState.Stable;
}
