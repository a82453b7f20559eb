namespace Rewind.Client;

/// <summary>
/// The public status page as JSON (<c>GET /status.json</c>, anonymous): customer-facing states and messages only,
/// never internal detail. <see cref="Status"/> is the worst state of any shown component.
/// </summary>
public sealed record PublicStatusDto(string Title, string Status, DateTimeOffset UpdatedAt, IReadOnlyList<PublicComponentDto> Components, IReadOnlyList<PublicIncidentDto> Incidents);

/// <summary>A component under its public name; state is <c>operational</c>, <c>degraded</c>, <c>outage</c> or <c>maintenance</c>.</summary>
public sealed record PublicComponentDto(string Name, string State, DateTimeOffset? MaintenanceUntil = null);

/// <summary>An open incident or maintenance window in customer words; status is the incident's stage (investigating, mitigating, monitoring) or <c>maintenance</c>.</summary>
public sealed record PublicIncidentDto(string Component, string State, string Status, string Message, DateTimeOffset Since);
