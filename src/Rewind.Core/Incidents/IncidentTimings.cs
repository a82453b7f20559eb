using System.Globalization;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Incidents;

/// <summary>One interval of an incident: its length, or null when the record cannot show it, and exactly what it spans.</summary>
public sealed record IncidentTiming(string Name, TimeSpan? Duration, string Span);

/// <summary>
/// The four intervals operators are judged by, each computed from the stored record only:
/// <list type="bullet">
/// <item>detect: from the deployment of the incident's release (its <c>recordedAt</c>) to the incident opened; when the
/// release is not recorded, or was recorded again after the incident opened, from the first trigger evidence written
/// before the incident opened; otherwise not measured;</item>
/// <item>decide: from the incident opened to the first rollback requested for it;</item>
/// <item>roll back: from that rollback requested to its first step that puts the target in place finished (a
/// <c>switch</c>, a <c>files</c> restore, a provider's command or call, a batch; the rollback that succeeded, when one
/// did);</item>
/// <item>recover: from the incident opened to the first rollback for it that succeeded, else to its resolution.</item>
/// </list>
/// </summary>
public sealed record IncidentTimings(IncidentTiming Detect, IncidentTiming Decide, IncidentTiming RollBack, IncidentTiming Recover)
{
    public const string DetectName = "time to detect";
    public const string DecideName = "time to decide";
    public const string RollBackName = "time to roll back";
    public const string RecoverName = "time to recover";

    public IEnumerable<IncidentTiming> All => [Detect, Decide, RollBack, Recover];

    public static IncidentTimings Of(IncidentRecord record)
    {
        var incident = record.Incident;
        var opened = $"the incident opened ({Time(incident.OpenedAt)})";
        return new IncidentTimings(MeasureDetect(record, opened), MeasureDecide(record, opened), MeasureRollBack(record), MeasureRecover(record, opened));
    }

    /// <summary>Milliseconds always shown, since the store keeps them: <c>1.234 s</c>, <c>12 min 03.456 s</c>, <c>2 h 05 min 03.456 s</c>.</summary>
    public static string Format(TimeSpan? duration)
    {
        if (duration is not { } value)
        {
            return "-";
        }

        var sign = value < TimeSpan.Zero ? "-" : "";
        var ms = (long)Math.Round(value.Duration().TotalMilliseconds);
        var (hours, minutes, seconds) = (ms / 3_600_000, ms / 60_000 % 60, ms % 60_000 / 1000.0);
        return ms < 60_000
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds:0.000} s")
            : hours == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{sign}{minutes} min {seconds:00.000} s")
                : string.Create(CultureInfo.InvariantCulture, $"{sign}{hours} h {minutes:00} min {seconds:00.000} s");
    }

    public static string Time(DateTimeOffset at) => Timestamps.Format(at);

    private static IncidentTiming MeasureDetect(IncidentRecord record, string opened)
    {
        var incident = record.Incident;
        if (record.Release is { FirstServedAt: { } served } seen && served <= incident.OpenedAt)
        {
            return new(DetectName, incident.OpenedAt - served, $"from {seen.Component} {seen.Version} first seen serving ({Time(served)}) to {opened}");
        }

        if (record.Release is { } release && release.RecordedAt <= incident.OpenedAt)
        {
            return new(DetectName, incident.OpenedAt - release.RecordedAt, $"from {release.Component} {release.Version} recorded as deployed ({Time(release.RecordedAt)}) to {opened}");
        }

        if (record.TriggerEvidence.Where(e => e.At < incident.OpenedAt).Select(e => (DateTimeOffset?)e.At).Min() is { } evidence)
        {
            return new(DetectName, incident.OpenedAt - evidence, $"from the first failing evidence ({Time(evidence)}) to {opened}");
        }

        return new(DetectName, null, incident.Release is null
            ? "not measured: the incident names no release and no evidence came before it opened"
            : $"not measured: release {incident.Release} has no deployment recorded before the incident opened");
    }

    private static IncidentTiming MeasureDecide(IncidentRecord record, string opened) =>
        record.Rollbacks.OrderBy(r => r.RequestedAt).FirstOrDefault() is { } first
            ? new(DecideName, first.RequestedAt - record.Incident.OpenedAt, $"from {opened} to rollback {first.Id} requested ({Time(first.RequestedAt)})")
            : new(DecideName, null, "not measured: no rollback was requested");

    private static IncidentTiming MeasureRollBack(IncidentRecord record)
    {
        if (record.MainRollback is not { } rollback)
        {
            return new(RollBackName, null, "not measured: no rollback was requested");
        }

        // the step that puts the target in place: a switch, a files restore, a provider's command or call, a batch, on a host or a fleet
        return rollback.Steps.OrderBy(s => s.Index).FirstOrDefault(s => s.Plan.IsSwitch && s.Status == StepStatus.Succeeded) is { FinishedAt: { } switched } step
            ? new(RollBackName, switched - rollback.RequestedAt, $"from rollback {rollback.Id} requested ({Time(rollback.RequestedAt)}) to its {step.Plan.Kind} step finished ({Time(switched)})")
            : new(RollBackName, null, $"not measured: no step of {rollback.Id} that puts the target in place (a switch, files, batch, the provider's command) finished");
    }

    private static IncidentTiming MeasureRecover(IncidentRecord record, string opened)
    {
        var incident = record.Incident;
        if (record.Rollbacks.Where(r => r is { Status: RollbackStatus.Succeeded, FinishedAt: not null }).OrderBy(r => r.FinishedAt).FirstOrDefault() is { FinishedAt: { } finished } succeeded)
        {
            return new(RecoverName, finished - incident.OpenedAt, $"from {opened} to rollback {succeeded.Id} succeeded ({Time(finished)})");
        }

        return incident.ResolvedAt is { } resolved
            ? new(RecoverName, resolved - incident.OpenedAt, $"from {opened} to the incident resolved ({Time(resolved)})")
            : new(RecoverName, null, "not measured: the incident is not resolved");
    }
}
