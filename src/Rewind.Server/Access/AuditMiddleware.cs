using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rewind.Core.Audit;
using Rewind.Core.Storage;
using Rewind.Server.Hosting;

namespace Rewind.Server.Access;

/// <summary>
/// Writes an audit entry for every API call that changes state: who, what, which target, when, from where, result. A
/// refused call (401, 403, 429, on the API or the dashboard login) whatever its method goes to <see cref="RefusalAudit"/>,
/// which writes a refuser's first refusal at once and counts the rest into one entry per window. Bodies are never
/// recorded: secrets stay out.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, IStore store, RefusalAudit refusals, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    /// <summary>Where an endpoint leaves words for its audit entry (never a secret, never a body).</summary>
    public const string DetailItem = "rewind.audit-detail";

    private readonly StoreOutageLog _outage = new(time);

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
        var refused = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests;
        var changes = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method);
        var api = context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal);
        var login = context.Request.Path.Equals("/ui/login", StringComparison.Ordinal) && status == StatusCodes.Status429TooManyRequests; // the login audits its own 401s
        if ((!(api && (changes || refused)) && !login) || (!refused && Api.AgentEndpoints.IsPoll(context)))
        {
            return;
        }

        var actor = context.User.Identity?.IsAuthenticated == true ? AccessPolicies.Actor(context) : "anonymous";
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var action = $"{context.Request.Method} {route ?? context.Request.Path.Value}";
        var target = string.Join(" ", context.Request.RouteValues.Where(v => v.Value is string).Select(v => $"{v.Key}={v.Value}"));
        var failure = context.Items.TryGetValue(TokenAuthenticationHandler.FailureItem, out var failed) ? (string)failed! : "";
        var said = context.Items.TryGetValue(DetailItem, out var extra) && extra is string words ? words : "";
        var detail = string.Join("; ", new[] { failure, said }.Where(d => d.Length > 0));
        var token = context.User.FindFirst(TokenAuthenticationHandler.TokenIdClaim)?.Value;
        if (token is not null)
        {
            detail = detail.Length == 0 ? $"token {token}" : $"{detail}; token {token}";
        }

        var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var result = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (refused)
        {
            // The reason names the kind of refusal, never anything that changes per request, so a flood is one refuser.
            var reason = status == StatusCodes.Status429TooManyRequests ? said : failure;
            await refusals.RecordAsync(new Refusal(source, actor, result, reason, action, target, detail), CancellationToken.None);
            return;
        }

        try
        {
            await store.AppendAuditAsync(new AuditRecord(time.GetUtcNow(), actor, action, target, source, result, detail), CancellationToken.None);
        }
        catch (Exception ex)
        {
            if (_outage.Filter(ex) is { } shown) // a store outage in one line a minute, not a stack trace per request
            {
                ServerLog.AuditFailed(logger, shown, action);
            }
        }
    }
}
