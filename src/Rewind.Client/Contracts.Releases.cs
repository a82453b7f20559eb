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

/// <summary>Body of <c>POST /api/v1/components/{name}/releases</c>: a release was deployed and now serves.</summary>
public sealed record RecordReleaseRequest(string Version, string? Commit = null, string? Artifact = null, string? RecordedBy = null);

/// <summary>Body of <c>POST /api/v1/components/{name}/releases/{version}/mark-bad</c>.</summary>
public sealed record MarkBadRequest(string? Reason = null, string? MarkedBy = null);
