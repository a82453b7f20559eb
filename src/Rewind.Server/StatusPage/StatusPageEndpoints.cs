using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;

namespace Rewind.Server.StatusPage;

/// <summary><c>GET /status</c> (HTML) and <c>GET /status.json</c>: the public status page, anonymous and read-only.</summary>
internal static class StatusPageEndpoints
{
    public static void MapStatusPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status", GetHtmlAsync).AllowAnonymous();
        app.MapGet("/status.json", GetJsonAsync).AllowAnonymous();
    }

    private static async Task<ContentHttpResult> GetHtmlAsync(PublicStatusReader reader, HttpContext context, CancellationToken cancellationToken)
    {
        var status = await reader.ReadAsync(cancellationToken);
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Content(StatusPageHtml.Render(status), "text/html; charset=utf-8");
    }

    private static async Task<Ok<PublicStatusDto>> GetJsonAsync(PublicStatusReader reader, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Ok(await reader.ReadAsync(cancellationToken));
    }
}
