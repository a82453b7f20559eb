using System.Net;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Rewind.Core.Incidents;

public static partial class IncidentReport
{
    // Raw HTML is never passed through: a message that looks like a tag is shown as text.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    /// <summary>The Markdown report rendered as one self-contained HTML page (no scripts, no external resources).</summary>
    public static string ToHtml(IncidentRecord record)
    {
        var body = ToHtmlFragment(record);
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
            {{body}}
            </body>
            </html>

            """;
    }

    /// <summary>
    /// The report's body alone (headings, lists, tables), for a page that shows it inside its own, as the dashboard does.
    /// Safe to put into a page as HTML: every recorded text is escaped in the Markdown, raw HTML is not passed through,
    /// and a link to anything but http, https or mailto, or an image, is left as its text.
    /// </summary>
    public static string ToHtmlFragment(IncidentRecord record) => Render(ToMarkdown(record));

    internal static string Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().Where(l => l.IsImage || !IsSafe(l.Url)).ToList())
        {
            link.ReplaceBy(new LiteralInline(string.Concat(link.Descendants<LiteralInline>().Select(t => t.Content.ToString()))), copyChildren: false);
        }

        foreach (var link in document.Descendants<AutolinkInline>().Where(l => !l.IsEmail && !IsSafe(l.Url)).ToList())
        {
            link.ReplaceBy(new LiteralInline(link.Url));
        }

        return document.ToHtml(Pipeline).TrimEnd();
    }

    private static bool IsSafe(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" or "mailto";
}
