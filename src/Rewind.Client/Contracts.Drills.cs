namespace Rewind.Client;

/// <summary>
/// A declared drill (<c>GET /api/v1/drills</c>): what it hits, its fault, its targets (durations as Rewind writes them,
/// <c>2m</c>), its schedule, its last run and its trend over the runs kept.
/// </summary>
public sealed record DrillDto(
    string Name,
    string? Description,
    string Target,
    IReadOnlyList<string> Components,
    string Fault,
    string? Schedule,
    string Approvals,
    IReadOnlyDictionary<string, string> Targets,
    DrillRunDto? LastRun,
    DrillTrendDto Trend);

/// <summary>
/// The drill's record over its last runs (at most 50): how many passed and failed, and each judged run's time to recover
/// in seconds, oldest first, so a trend can be drawn. Aborted and refused runs count in <c>Runs</c> only.
/// </summary>
public sealed record DrillTrendDto(int Runs, int Passed, int Failed, IReadOnlyList<DrillTrendPointDto> Points);

/// <summary>One judged run in a trend: when, passed or not, its time to detect and to recover in seconds (null: not measured).</summary>
public sealed record DrillTrendPointDto(string RunId, DateTimeOffset At, bool Passed, double? DetectSeconds, double? RecoverSeconds);

/// <summary>
/// One run of a drill. <c>Status</c>: requested, running, passed, failed, aborted or refused. <c>Report</c> once it ended
/// (absent for a refused run).
/// </summary>
public sealed record DrillRunDto(
    string Id,
    string Drill,
    IReadOnlyList<string> Components,
    string Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    bool Scheduled,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FaultAt,
    DateTimeOffset? FinishedAt,
    string? Summary,
    DrillReportDto? Report);

/// <summary>The drill report: every figure against its target, the incidents and rollbacks it caused, what happened in order, the data lost.</summary>
public sealed record DrillReportDto(
    string Outcome,
    string Target,
    string Fault,
    string? Description,
    DateTimeOffset StartedAt,
    DateTimeOffset? FaultAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<DrillMeasureDto> Measures,
    IReadOnlyList<string> Incidents,
    IReadOnlyList<string> Rollbacks,
    IReadOnlyList<DrillEventDto> Events,
    DrillDataDto? Data,
    IReadOnlyList<string> Notes);

/// <summary>
/// One figure: <c>Name</c> detect, decide, rollback, recover or rpo; seconds measured (null: not measured) and the target
/// (null: none declared); <c>Verdict</c> pass, fail or not-judged; <c>Span</c> says exactly what was measured.
/// </summary>
public sealed record DrillMeasureDto(string Name, double? Seconds, double? TargetSeconds, string Verdict, string Span);

/// <summary>One thing that happened, in time order; <c>TookSeconds</c> for a step that finished.</summary>
public sealed record DrillEventDto(DateTimeOffset At, string What, string Outcome, double? TookSeconds, string? Detail);

/// <summary>The data check: marks written, acknowledged, lost, and the span of the lost ones in seconds; <c>Error</c> when they could not be read back.</summary>
public sealed record DrillDataDto(int Written, int Acknowledged, int Lost, double SpanSeconds, DateTimeOffset? FirstLost, DateTimeOffset? LastLost, string? Error);

/// <summary>Body of <c>POST /api/v1/drills/{name}/runs</c>: why it is run (kept with the audit entry).</summary>
public sealed record StartDrillRequest(string? Reason = null);

/// <summary>Body of <c>POST /api/v1/drill-runs/{id}/abort</c>.</summary>
public sealed record AbortDrillRequest(string? Reason = null);
