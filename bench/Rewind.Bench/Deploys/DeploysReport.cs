using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Bench.Deploys;

/// <summary>The table, the findings with their timelines, <c>bench/results/deploys.json</c> and the headline line.</summary>
internal sealed class DeploysReport(string repository, DeploysSettings settings, IReadOnlyList<Verdict> verdicts, DeploysRun run, TimeSpan wall)
{
    private const int FindingsShown = 12;

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public void Write()
    {
        var rewind = verdicts.Single(v => v.Role == ControllerRole.Rewind);
        var naive = verdicts.Single(v => v.Role == ControllerRole.Naive);
        var hogSeconds = run.HogPeriods.Sum(p => ((p.To ?? DateTimeOffset.UtcNow) - p.From).TotalSeconds);
        Console.WriteLine(F($"deploys: {rewind.Deploys} per fleet, {rewind.BadDeploys} bad; deploy phase {run.DeploySeconds:0} s, CPU hog on for {hogSeconds:0} s of it; wall {wall.TotalSeconds:0} s"));
        Console.WriteLine(F($"  {"measure",-44} {"rewind",12} {"naive",12}"));
        Row("rollbacks", rewind.Rollbacks, naive.Rollbacks);
        Row("false rollbacks (away from a healthy release)", rewind.FalseRollbacks, naive.FalseRollbacks);
        Row("bad releases blessed (became stable)", rewind.BadReleasesBlessed, naive.BadReleasesBlessed);
        Row("missed bad releases", rewind.MissedBadReleases, naive.MissedBadReleases);
        Row("pages (escalation entries)", rewind.Pages, naive.Pages);
        Row("false pages (healthy release or restart gap)", rewind.FalsePages, naive.FalsePages);
        Row("false incidents", rewind.FalseIncidents, naive.FalseIncidents);
        Row("detect from first request, median s", Number(rewind.MedianDetect), Number(naive.MedianDetect));
        Row("detect from first request, p90 s", Number(rewind.P90Detect), Number(naive.P90Detect));
        Row("bad releases detected after their first answer", rewind.DetectSecondsFromFirstRequest.Count, naive.DetectSecondsFromFirstRequest.Count);
        Row("bad releases rolled back for the restart gap", rewind.BadCaughtInRestartGap, naive.BadCaughtInRestartGap);
        foreach (var (role, traffic) in run.Traffic)
        {
            Console.WriteLine(F($"  traffic {role.ToString().ToLowerInvariant()}: {traffic.Ok + traffic.ServerErrors} answered, {traffic.ServerErrors} of them 5xx, {traffic.Failed} unanswered, {traffic.Dropped} dropped"));
        }

        foreach (var note in run.WarmUpNotes)
        {
            Console.WriteLine("  warm-up: " + note);
        }

        Console.WriteLine(F($"  host load average (1 min) during the deploys: min {run.LoadAverages.DefaultIfEmpty().Min():0.0}, median {Median(run.LoadAverages):0.0}, max {run.LoadAverages.DefaultIfEmpty().Max():0.0} on {Environment.ProcessorCount} cores"));
        foreach (var verdict in verdicts)
        {
            Console.WriteLine($"  pipeline answers ({verdict.Role.ToString().ToLowerInvariant()}): " + string.Join(", ", verdict.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => F($"{o.Key} x{o.Value}"))));
        }

        Console.WriteLine("  rewind: deploy state (--deploying, deploy-grace " + DeploysSettings.DeployGrace + "), health-down (failing-for 2s, min-failures 2) and regression (factor 3, baseline 1 % until the last known good has served 2,000 requests) in auto mode, bake " + DeploysSettings.BakeTime + " + evidence");
        Console.WriteLine("  naive: the same probe rule, bad-ratio above 2 % for 10 s on 5 s scrapes, auto mode, no deploy state (recorded when the pipeline is done), bake by time");
        foreach (var verdict in verdicts)
        {
            WriteFindings(verdict);
        }

        var json = JsonSerializer.Serialize(new
        {
            benchmark = "deploys",
            settings = new { settings.Components, settings.DeploysPerComponent, hogOnSeconds = settings.HogOn.TotalSeconds, hogOffSeconds = settings.HogOff.TotalSeconds, judgeWindowSeconds = settings.JudgeWindow.TotalSeconds, judgeLimitSeconds = settings.JudgeLimit.TotalSeconds, DeploysSettings.RequestsPerSecond, DeploysSettings.BaselineErrorFraction, DeploysSettings.BadErrorFraction, DeploysSettings.SlowAddedLatencyMs, DeploysSettings.LatencyObjective, DeploysSettings.BakeTime, DeploysSettings.DeployGrace },
            wallSeconds = wall.TotalSeconds,
            warmUp = run.WarmUpNotes,
            loadAverages = run.LoadAverages,
            deploySeconds = run.DeploySeconds,
            hogPeriods = run.HogPeriods.Select(p => new { from = p.From, to = p.To }),
            verdicts = verdicts.Select(v => new { v.Role, v.Deploys, v.BadDeploys, v.Rollbacks, v.FalseRollbacks, v.BadReleasesBlessed, v.MissedBadReleases, v.Pages, v.BadCaughtInRestartGap, v.FalsePages, v.FalseIncidents, v.MedianDetect, v.P90Detect, detectSeconds = v.DetectSecondsFromFirstRequest, v.Outcomes, v.Findings }),
            traffic = run.Traffic.ToDictionary(t => t.Key.ToString().ToLowerInvariant(), t => new { ok = t.Value.Ok, serverErrors = t.Value.ServerErrors, failed = t.Value.Failed, dropped = t.Value.Dropped }, StringComparer.Ordinal),
            deploys = run.Pipelines.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value.SelectMany(x => x.Records), StringComparer.Ordinal),
        }, Indented);
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "deploys.json"), json);
        Console.WriteLine(F($"false_rollbacks={rewind.FalseRollbacks} bad_releases_blessed={rewind.BadReleasesBlessed} missed_bad_releases={rewind.MissedBadReleases} false_pages={rewind.FalsePages} median_detect_s_from_first_request={Number(rewind.MedianDetect)} naive_false_rollbacks={naive.FalseRollbacks} naive_bad_releases_blessed={naive.BadReleasesBlessed} naive_missed_bad_releases={naive.MissedBadReleases} naive_false_pages={naive.FalsePages} naive_median_detect_s_from_first_request={Number(naive.MedianDetect)} bad_caught_in_restart_gap={rewind.BadCaughtInRestartGap} naive_bad_caught_in_restart_gap={naive.BadCaughtInRestartGap} deploys={rewind.Deploys} bad_deploys={rewind.BadDeploys} components={settings.Components} hog_on_s={hogSeconds:0} wall_s={wall.TotalSeconds:0}"));
    }

    private static void WriteFindings(Verdict verdict)
    {
        var role = verdict.Role.ToString().ToLowerInvariant();
        if (verdict.Findings.Count == 0)
        {
            Console.WriteLine($"{role}: no wrong decisions");
            return;
        }

        Console.WriteLine(F($"{role}: {verdict.Findings.Count} wrong decision(s){(verdict.Findings.Count > FindingsShown ? F($", the first {FindingsShown}") : "")} (all in bench/results/deploys.json):"));
        foreach (var finding in verdict.Findings.Take(FindingsShown))
        {
            Console.WriteLine(F($"- {finding.Kind}: {finding.Component} {finding.Version} at {finding.At:HH:mm:ss.fff}{(finding.HogOn ? " (CPU hog on)" : "")}; {finding.Truth}"));
            foreach (var line in finding.Timeline.Take(role == "rewind" ? 10 : 3))
            {
                Console.WriteLine("    " + line);
            }
        }
    }

    private static double Median(IReadOnlyList<double> values) => values.Count == 0 ? 0 : Stats.Of(values).Median;

    private static void Row(string name, object rewind, object naive) => Console.WriteLine(F($"  {name,-44} {rewind,12} {naive,12}"));

    private static string Number(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "none";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
