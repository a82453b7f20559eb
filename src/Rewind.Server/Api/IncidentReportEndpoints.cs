using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;

namespace Rewind.Server.Api;

/// <summary>What the record says after the fact: one incident's post-incident report, and metrics over many.</summary>
internal static class IncidentReportEndpoints
{
    /// <summary>The metrics window when <c>since</c> is not given.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public static void MapIncidentReportEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/incidents/{id}/report", ReportAsync);
        api.MapGet("/incident-metrics", MetricsAsync);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReportAsync(string id, IStore store, ConfigHolder config, SampleHistory history, CancellationToken cancellationToken, string format = "md")
    {
        if (format is not ("md" or "html" or "fragment"))
        {
            return Problems.Invalid("invalid format", $"format '{format}' is not md, html or fragment");
        }

        if (await store.GetIncidentRecordAsync(id, cancellationToken) is not { } stored)
        {
            return Problems.NotFound("unknown incident", $"incident {id} does not exist");
        }

        // The probes of the component as configured now: a probe removed since is not read.
        var probes = config.Component(stored.Incident.Component)?.Probes.Keys ?? Enumerable.Empty<string>();
        var record = stored with { Signals = await history.AroundAsync(stored.Incident, probes, config.Current.Samples, cancellationToken) };

        return format switch
        {
            "html" => TypedResults.Text(IncidentReport.ToHtml(record), "text/html; charset=utf-8"),
            "fragment" => TypedResults.Text(IncidentReport.ToHtmlFragment(record), "text/html; charset=utf-8"), // the body alone, for the dashboard
            _ => TypedResults.Text(IncidentReport.ToMarkdown(record), "text/markdown; charset=utf-8"),
        };
    }

    private static async Task<Results<Ok<IncidentMetricsDto>, ProblemHttpResult>> MetricsAsync(IStore store, TimeProvider time, CancellationToken cancellationToken, string? component = null, string? since = null, string? until = null)
    {
        var now = time.GetUtcNow();
        if (!TryParseInstant(until, now, out var end) || !TryParseInstant(since, end - DefaultWindow, now, out var start) || start >= end)
        {
            return Problems.Invalid("invalid window", $"since '{since}' and until '{until}' must be ISO 8601 times or durations back from now (7d, 12h), with since before until");
        }

        var filter = string.IsNullOrWhiteSpace(component) ? null : component.Trim();
        var records = await store.GetIncidentRecordsAsync(start, end, filter, cancellationToken);
        var rows = IncidentMetrics.PerComponentAndOverall(records).Select(ToDto).ToList();
        return TypedResults.Ok(new IncidentMetricsDto(start, end, filter, rows[..^1], rows[^1]));
    }

    private static bool TryParseInstant(string? text, DateTimeOffset now, out DateTimeOffset at) => TryParseInstant(text, now, now, out at);

    /// <summary>Absent: <paramref name="fallback"/>. A duration: that long before <paramref name="now"/>. Else an ISO 8601 time (UTC unless it says).</summary>
    private static bool TryParseInstant(string? text, DateTimeOffset fallback, DateTimeOffset now, out DateTimeOffset at)
    {
        at = fallback;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (Durations.TryParse(text, out var ago))
        {
            at = now - ago;
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    private static IncidentMetricsRowDto ToDto(IncidentMetrics m) => new(
        m.Component,
        m.Incidents,
        m.Rollbacks,
        m.RollbacksSucceeded,
        m.RollbacksFailed,
        m.RollbackSuccessRate,
        m.MeanTimeToDetect?.TotalSeconds,
        m.MeanTimeToRollBack?.TotalSeconds,
        m.MeanTimeToRecover?.TotalSeconds,
        m.Resolved,
        m.FalsePositives,
        m.FalsePositiveRate);
}
