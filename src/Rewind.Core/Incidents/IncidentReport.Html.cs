using System.Net;
using Markdig;

namespace Rewind.Core.Incidents;

public static partial class IncidentReport
{
    // Raw HTML is never passed through: a message that looks like a tag is shown as text.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    /// <summary>The Markdown report rendered as one self-contained HTML page (no scripts, no external resources).</summary>
    public static string ToHtml(IncidentRecord record)
    {
        var body = Markdown.ToHtml(ToMarkdown(record), Pipeline);
        var title = WebUtility.HtmlEncode($"Post-incident report: {record.Incident.Id}");
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{title}}</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
            table { border-collapse: collapse; margin: 0.5rem 0; }
            th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
            </style>
            </head>
            <body>
            {{body.TrimEnd()}}
            </body>
            </html>

            """;
    }
}
