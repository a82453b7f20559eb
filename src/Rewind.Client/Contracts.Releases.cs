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
    bool LastKnownGood);

/// <summary>
/// Body of <c>POST /api/v1/components/{name}/releases</c>: a release now serves. With <see cref="Deploying"/> it is still
/// rolling out and its bake time has not started; recording it again without the flag starts the bake.
/// Re-recording a stable release (a redeploy of a known-good version) keeps it stable.
/// </summary>
public sealed record RecordReleaseRequest(string Version, string? Commit = null, string? Artifact = null, string? RecordedBy = null, bool Deploying = false);

/// <summary>Body of <c>POST /api/v1/components/{name}/releases/{version}/mark-bad</c>.</summary>
public sealed record MarkBadRequest(string? Reason = null, string? MarkedBy = null);
