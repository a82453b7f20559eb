using System.Globalization;
using Rewind.Client;

namespace Rewind.Bench.Deploys;

/// <summary>Scores one controller's record against the deploys its pipeline made (the ground truth).</summary>
internal static class Judge
{
    /// <summary>A rollback requested this soon after the pipeline moved on still counts as the release's judgement.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    public static Verdict Score(ControllerRecord record, IReadOnlyList<DeployRecord> deploys, Func<DateTimeOffset, bool> hogOn)
    {
        var findings = new List<Finding>();
        var truths = deploys.GroupBy(d => d.Planned.Component, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new GroundTruth(g.OrderBy(d => d.RestartAt), record.Rollbacks.Where(r => r.Component == g.Key)),
            StringComparer.Ordinal);
        var incidents = record.Incidents.ToDictionary(i => i.Id, StringComparer.Ordinal);

        var falseRollbacks = FalseRollbacks(record, truths, incidents, hogOn, findings);
        var (blessed, missed, inGap, delays) = BadReleases(record, deploys, truths, hogOn, findings);
        var (pages, falsePages, falseIncidents) = Pages(record, truths, hogOn, findings);
        var outcomes = deploys.SelectMany(d => d.Outcomes).GroupBy(Outcome, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new Verdict(record.Role, deploys.Count, deploys.Count(d => d.Planned.IsBad), record.Rollbacks.Count, falseRollbacks, blessed, missed, falsePages,
            falseIncidents, pages, inGap, delays, outcomes, [.. findings.OrderBy(f => f.At)]);
    }

    private static int FalseRollbacks(ControllerRecord record, Dictionary<string, GroundTruth> truths, Dictionary<string, IncidentDto> incidents, Func<DateTimeOffset, bool> hogOn, List<Finding> findings)
    {
        var falseRollbacks = 0;
        foreach (var rollback in record.Rollbacks.Where(r => r.FromVersion is not null && truths.ContainsKey(r.Component)))
        {
            var truth = truths[rollback.Component];
            if (truth.KindOf(rollback.FromVersion!) == ReleaseKind.Healthy)
            {
                falseRollbacks++;
                findings.Add(new Finding("false rollback", rollback.Component, rollback.FromVersion!, rollback.RequestedAt, hogOn(rollback.RequestedAt),
                    $"{rollback.Id} {rollback.FromVersion} -> {rollback.ToVersion} ({rollback.Status}); serving then: {truth.At(rollback.RequestedAt.AddMilliseconds(-1))}",
                    Timeline(rollback.IncidentId is { } id && incidents.TryGetValue(id, out var incident) ? incident : null)));
            }
        }

        return falseRollbacks;
    }

    private static (int Blessed, int Missed, int InGap, List<double> Delays) BadReleases(
        ControllerRecord record, IReadOnlyList<DeployRecord> deploys, Dictionary<string, GroundTruth> truths, Func<DateTimeOffset, bool> hogOn, List<Finding> findings)
    {
        var (blessed, missed, inGap) = (0, 0, 0);
        var delays = new List<double>();
        foreach (var deploy in deploys.Where(d => d.Planned.IsBad))
        {
            var (component, version) = (deploy.Planned.Component, deploy.Planned.Version);
            var truth = truths[component];
            var release = record.Releases.GetValueOrDefault(component)?.FirstOrDefault(r => r.Version == version);
            if (release?.StableAt is { } stableAt)
            {
                blessed++;
                findings.Add(new Finding("bad release blessed", component, version, stableAt, hogOn(stableAt), Describe(deploy), Window(record, deploy)));
            }

            var rollback = record.Rollbacks.Where(r => r.Component == component && r.FromVersion == version).MinBy(r => r.RequestedAt);
            var caught = (rollback is not null && rollback.RequestedAt <= deploy.EndAt + Slack) || release?.State is "bad" or "rolled-back";
            if (!caught)
            {
                missed++;
                findings.Add(new Finding("missed bad release", component, version, deploy.EndAt, hogOn(deploy.EndAt),
                    $"{Describe(deploy)}; state at the end: {release?.State ?? "never recorded"}", Window(record, deploy)));
                continue;
            }

            var opened = record.Incidents
                .Where(i => i.Component == component && i.OpenedAt >= deploy.RestartAt && i.OpenedAt <= deploy.EndAt + Slack && truth.At(i.OpenedAt).Version == version)
                .Select(i => (DateTimeOffset?)i.OpenedAt).Min();
            var detectedAt = new[] { opened, rollback?.RequestedAt }.Where(t => t is not null).Min();
            if (detectedAt is { } at && deploy.UpAt is { } up && at < up)
            {
                // Acted before the release answered at all: the restart gap fired a probe policy, the fault was not seen.
                inGap++;
                findings.Add(new Finding("bad release rolled back for its restart gap", component, version, at, hogOn(at), Describe(deploy), Window(record, deploy)));
            }
            else if (detectedAt is { } detected && deploy.UpAt is { } first)
            {
                delays.Add((detected - first).TotalSeconds);
            }
        }

        return (blessed, missed, inGap, delays);
    }

    private static (int Pages, int FalsePages, int FalseIncidents) Pages(ControllerRecord record, Dictionary<string, GroundTruth> truths, Func<DateTimeOffset, bool> hogOn, List<Finding> findings)
    {
        var (pages, falsePages, falseIncidents) = (0, 0, 0);
        foreach (var incident in record.Incidents)
        {
            var paged = incident.Timeline.Count(e => e.Kind == "escalation");
            pages += paged;
            var serving = truths.TryGetValue(incident.Component, out var truth) ? truth.At(incident.OpenedAt) : null;
            if (serving is { IsBad: false })
            {
                falseIncidents++;
                falsePages += paged;
                findings.Add(new Finding("false page", incident.Component, incident.Release ?? "?", incident.OpenedAt, hogOn(incident.OpenedAt),
                    $"{incident.Id} ({incident.Severity}, {incident.Policy ?? "no policy"}, {paged} page(s)); serving then: {serving}", Timeline(incident)));
            }
        }

        return (pages, falsePages, falseIncidents);
    }

    private static string Describe(DeployRecord deploy) => string.Create(CultureInfo.InvariantCulture,
        $"{deploy.Planned.Kind.ToString().ToLowerInvariant()} release, startup delay {deploy.Planned.StartupDelayMs} ms, restart {deploy.RestartAt:HH:mm:ss.fff}, first answer {deploy.UpAt:HH:mm:ss.fff}, recorded {(deploy.RecordedAt is { } r ? r.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : "never")}, moved on {deploy.EndAt:HH:mm:ss.fff}");

    /// <summary>The timelines of the component's incidents opened while the deploy was watched.</summary>
    private static IReadOnlyList<string> Window(ControllerRecord record, DeployRecord deploy) =>
        [.. record.Incidents
            .Where(i => i.Component == deploy.Planned.Component && i.OpenedAt <= deploy.EndAt && (i.ResolvedAt ?? DateTimeOffset.MaxValue) >= deploy.RestartAt)
            .SelectMany(i => Timeline(i))];

    private static IReadOnlyList<string> Timeline(IncidentDto? incident) => incident is null
        ? []
        : [.. incident.Timeline.Take(14).Select(e => string.Create(CultureInfo.InvariantCulture, $"{incident.Id} {e.At:HH:mm:ss.fff} {e.Kind}: {Clip(e.Message)}"))];

    private static string Clip(string message) => message.Length <= 400 ? message : message[..400] + "…";

    /// <summary>"record: 409 Conflict: …" → "record: 409"; "record --deploying: ok (deploying)" → "record --deploying: ok".</summary>
    private static string Outcome(string outcome)
    {
        if (outcome.StartsWith("waited ", StringComparison.Ordinal))
        {
            return "waited for a rollback before deploying";
        }

        var colon = outcome.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            return outcome;
        }

        var rest = outcome[(colon + 2)..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var what = outcome[..colon];
        what = what.StartsWith("record ", StringComparison.Ordinal) && !what.StartsWith("record --", StringComparison.Ordinal) ? "record" : what;
        return what + ": " + (space < 0 ? rest : rest[..space]);
    }
}
