namespace Rewind.Client;

/// <summary>
/// Answer of <c>GET /api/v1/incident-metrics</c>: figures over the incidents opened in [<c>Since</c>, <c>Until</c>), one
/// row per component and one over all of them.
/// </summary>
public sealed record IncidentMetricsDto(DateTimeOffset Since, DateTimeOffset Until, string? Component, IReadOnlyList<IncidentMetricsRowDto> Components, IncidentMetricsRowDto Overall);

/// <summary>
/// One row of incident metrics; <c>Component</c> is null on the overall row. Rates are 0–1 and means are seconds, both
/// null when there was nothing to measure (no finished rollback, no resolved incident, no measurable interval).
/// </summary>
public sealed record IncidentMetricsRowDto(
    string? Component,
    int Incidents,
    int Rollbacks,
    int RollbacksSucceeded,
    int RollbacksFailed,
    double? RollbackSuccessRate,
    double? MeanTimeToDetectSeconds,
    double? MeanTimeToRollBackSeconds,
    double? MeanTimeToRecoverSeconds,
    int Resolved,
    int FalsePositives,
    double? FalsePositiveRate);
