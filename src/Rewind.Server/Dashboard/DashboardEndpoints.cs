using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Rewind.Server.Dashboard;

/// <summary>
/// The dashboard under <c>/ui/</c>: static pages that read the same <c>/api/v1</c> as the CLI, with the login and logout
/// of <see cref="DashboardLogin"/>. The files hold no data, so they are served to anyone; every number comes from the API.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Scripts and styles only from this server, no frames, no inline code: an injected string cannot run.</summary>
    private const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/ui/")).ExcludeFromDescription();
        app.MapGet("/ui/{**path}", (string? path, HttpContext context, DashboardAssets assets) => path switch
        {
            null or "" when !context.Request.Path.Value!.EndsWith('/') => Results.Redirect("/ui/"), // relative links need the slash
            null or "" => Serve(context, assets, "index.html"),
            "login" => Serve(context, assets, "login.html"),
            _ => Serve(context, assets, path),
        });
        app.MapPost("/ui/login", DashboardLogin.LoginAsync);
        app.MapPost("/ui/logout", DashboardLogin.Logout);
    }

    private static IResult Serve(HttpContext context, DashboardAssets assets, string path)
    {
        if (path.EndsWith(".html", StringComparison.Ordinal) && !string.Equals(path, "index.html", StringComparison.Ordinal) && !string.Equals(path, "login.html", StringComparison.Ordinal)
            || assets.Find(path) is not { } asset)
        {
            return Results.Problem($"no dashboard file {path}", statusCode: StatusCodes.Status404NotFound, title: "Not Found");
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache"; // revalidate each time: a 304 on loopback costs less than stale code
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (string.Equals(context.Request.Headers.IfNoneMatch.ToString(), asset.ETag, StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
