namespace Rewind.Client;

/// <summary>One recorded release. State is deploying, baking, stable, bad or rolled-back.</summary>
public sealed record ReleaseDto(
    string Component,
    string Version,
    string State,
    DateTimeOffset RecordedAt,
    string? Commit,
    string? Artifact,
    string? RecordedBy,
    DateTimeOffset? StableAt,
    string? Incident,
    bool LastKnownGood)
{
    /// <summary>The database schema the release runs on (its newest migration id), when its deploy said so.</summary>
    public string? Schema { get; init; }
}

/// <summary>
/// Body of <c>POST /api/v1/components/{name}/releases</c>: a release now serves. With <see cref="Deploying"/> it is still
/// rolling out: the component is shielded (no incident, page or rollback for restart gaps) until it serves healthy or
/// its deploy-grace ends, and its bake time has not started; recording it again without the flag starts the bake.
/// Re-recording a stable release (a redeploy of a known-good version) keeps it stable.
/// </summary>
public sealed record RecordReleaseRequest(string Version, string? Commit = null, string? Artifact = null, string? RecordedBy = null, bool Deploying = false, string? Schema = null);

/// <summary>Body of <c>POST /api/v1/components/{name}/releases/{version}/mark-bad</c>.</summary>
public sealed record MarkBadRequest(string? Reason = null, string? MarkedBy = null);

/// <summary>
/// Body of <c>POST /api/v1/components/{name}/releases/{version}/promote</c>: a person vouches for a baking release whose
/// traffic is too little to earn known good by itself. The reason is required and kept in the audit log.
/// </summary>
public sealed record PromoteRequest(string Reason);

/// <summary>
/// Answer of <c>GET /api/v1/components/{name}/releases/{version}/check</c>: whether the version may be deployed.
/// Not allowed for a release that is bad or rolled-back (for good: no state leads back to good, so fix forward with a
/// new version); allowed for a version not recorded yet (State null) and for deploying, baking or stable releases.
/// Reason is one sentence; when refused it names the incident (also in Incident) and the rollback that left the release.
/// </summary>
public sealed record ReleaseCheckDto(string Component, string Version, bool Allowed, string? State, string? Incident, string Reason);
