using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rewind.Core.Audit;
using Rewind.Core.Storage;
using Rewind.Server.Hosting;

namespace Rewind.Server.Access;

/// <summary>
/// Writes an audit entry for every API call that changes state, and for every refused one (401, 403) whatever its
/// method: who, what, which target, when, from where, result. Bodies are never recorded: secrets stay out.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, IStore store, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    /// <summary>Where an endpoint leaves words for its audit entry (never a secret, never a body).</summary>
    public const string DetailItem = "rewind.audit-detail";

    /// <summary>Adds <paramref name="detail"/> to the request's audit entry, e.g. that a rollback was an emergency.</summary>
    public static void AddDetail(HttpContext context, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[DetailItem] = context.Items.TryGetValue(DetailItem, out var before) && before is string text ? $"{text}; {detail}" : detail;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var status = context.Response.StatusCode;
        var changes = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method);
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || !(changes || status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden))
        {
            return;
        }

        var actor = context.User.Identity?.IsAuthenticated == true ? AccessPolicies.Actor(context) : "anonymous";
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var action = $"{context.Request.Method} {route ?? context.Request.Path.Value}";
        var target = string.Join(" ", context.Request.RouteValues.Where(v => v.Value is string).Select(v => $"{v.Key}={v.Value}"));
        var detail = context.Items.TryGetValue(TokenAuthenticationHandler.FailureItem, out var failure) ? (string)failure! : "";
        if (context.Items.TryGetValue(DetailItem, out var extra) && extra is string said)
        {
            detail = detail.Length == 0 ? said : $"{detail}; {said}";
        }
        var token = context.User.FindFirst(TokenAuthenticationHandler.TokenIdClaim)?.Value;
        if (token is not null)
        {
            detail = detail.Length == 0 ? $"token {token}" : $"{detail}; token {token}";
        }

        try
        {
            await store.AppendAuditAsync(new AuditRecord(time.GetUtcNow(), actor, action, target, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", status.ToString(System.Globalization.CultureInfo.InvariantCulture), detail), CancellationToken.None);
        }
        catch (Exception ex)
        {
            ServerLog.AuditFailed(logger, ex, action);
        }
    }
}
