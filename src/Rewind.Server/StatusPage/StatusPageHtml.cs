using System.Globalization;
using System.Net;
using System.Text;
using Rewind.Client;

namespace Rewind.Server.StatusPage;

/// <summary>
/// The status page as one small HTML document: no script, a meta refresh every 30 s, readable on a phone. Every value
/// is HTML-encoded, public names and configured messages included.
/// </summary>
internal static class StatusPageHtml
{
    public const int RefreshSeconds = 30;

    private const string Style = """
        body{font-family:system-ui,-apple-system,sans-serif;margin:0 auto;max-width:44rem;padding:1rem;color:#1b1f24;line-height:1.45}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
        .banner{padding:.8rem 1rem;border-radius:.4rem;font-weight:600;color:#fff}
        ul{list-style:none;padding:0;margin:0}li{display:flex;justify-content:space-between;gap:1rem;padding:.6rem 0;border-bottom:1px solid #e3e6ea}
        .incident{display:block}.incident p{margin:.2rem 0}.meta{color:#5b636d;font-size:.9rem}
        .operational{background:#1f883d}.degraded{background:#bf8700}.outage{background:#cf222e}.maintenance{background:#0969da}
        .state{font-weight:600}.state.operational{color:#1f883d;background:none}.state.degraded{color:#9a6700;background:none}
        .state.outage{color:#cf222e;background:none}.state.maintenance{color:#0969da;background:none}
        footer{margin-top:1.5rem;color:#5b636d;font-size:.85rem}
        """;

    public static string Render(PublicStatusDto status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{RefreshSeconds}\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(status.Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(status.Title)).Append("</h1>\n")
            .Append("<p class=\"banner ").Append(Encode(status.Status)).Append("\">").Append(Encode(Banner(status.Status))).Append("</p>\n");
        AppendIncidents(html, status.Incidents);
        html.Append("<h2>Components</h2>\n<ul>\n");
        foreach (var component in status.Components)
        {
            html.Append("<li><span>").Append(Encode(component.Name)).Append("</span><span class=\"state ").Append(Encode(component.State)).Append("\">")
                .Append(Encode(Word(component.State)))
                .Append(component.MaintenanceUntil is { } until ? " until " + Encode(Time(until)) : "").Append("</span></li>\n");
        }

        html.Append("</ul>\n<footer>Updated ").Append(Encode(Time(status.UpdatedAt)))
            .Append(CultureInfo.InvariantCulture, $"; this page refreshes every {RefreshSeconds} seconds.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendIncidents(StringBuilder html, IReadOnlyList<PublicIncidentDto> incidents)
    {
        if (incidents.Count == 0)
        {
            return;
        }

        html.Append("<h2>Current incidents</h2>\n<ul>\n");
        foreach (var incident in incidents)
        {
            html.Append("<li class=\"incident\"><p><span class=\"state ").Append(Encode(incident.State)).Append("\">").Append(Encode(Word(incident.State)))
                .Append("</span> · ").Append(Encode(incident.Component)).Append("</p><p>").Append(Encode(incident.Message)).Append("</p><p class=\"meta\">")
                .Append(Encode(Word(incident.Status))).Append(" since ").Append(Encode(Time(incident.Since))).Append("</p></li>\n");
        }

        html.Append("</ul>\n");
    }

    private static string Banner(string state) => state switch
    {
        "outage" => "Some services are down",
        "degraded" => "Some services are degraded",
        "maintenance" => "Scheduled maintenance in progress",
        _ => "All systems operational",
    };

    private static string Word(string state) => state.Length == 0 ? state : char.ToUpperInvariant(state[0]) + state[1..];

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
