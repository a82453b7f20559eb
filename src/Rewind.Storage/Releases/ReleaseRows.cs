using Rewind.Core.Releases;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Releases;

/// <summary>A <c>components</c> row as Dapper reads it.</summary>
internal sealed class ComponentRow
{
    public const string Columns = "name AS Name, provider AS Provider, current_version AS CurrentVersion, current_since AS CurrentSince";

    public string Name { get; set; } = "";

    public string Provider { get; set; } = "";

    public string? CurrentVersion { get; set; }

    public long? CurrentSince { get; set; }

    public ComponentState ToComponent() => new(Name, Provider, CurrentVersion, DbValues.FromMs(CurrentSince));
}

/// <summary>A <c>releases</c> row as Dapper reads it.</summary>
internal sealed class ReleaseRow
{
    public const string Columns = """
        component AS Component, version AS Version, state AS State, recorded_at AS RecordedAt, "commit" AS CommitId,
        artifact AS Artifact, recorded_by AS RecordedBy, stable_at AS StableAt, incident AS Incident,
        schema_version AS SchemaVersion, first_served_at AS FirstServedAt, deploy_started_at AS DeployStartedAt
        """;

    public string Component { get; set; } = "";

    public string Version { get; set; } = "";

    public string State { get; set; } = "";

    public long RecordedAt { get; set; }

    public string? CommitId { get; set; }

    public string? Artifact { get; set; }

    public string? RecordedBy { get; set; }

    public long? StableAt { get; set; }

    public string? Incident { get; set; }

    public string? SchemaVersion { get; set; }

    public long? FirstServedAt { get; set; }

    public long? DeployStartedAt { get; set; }

    public Release ToRelease() => new(
        Component,
        Version,
        ReleaseStateMachine.TryParse(State, out var state) ? state : throw new InvalidOperationException($"stored release state '{State}' is unknown"),
        DbValues.FromMs(RecordedAt),
        CommitId,
        Artifact,
        RecordedBy,
        DbValues.FromMs(StableAt),
        Incident)
    {
        Schema = SchemaVersion,
        FirstServedAt = DbValues.FromMs(FirstServedAt),
        DeployStartedAt = DbValues.FromMs(DeployStartedAt),
    };
}
