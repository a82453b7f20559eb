using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Audit;
using Rewind.Core.Storage;
using Rewind.Server.Access;

namespace Rewind.Server.Dashboard;

/// <summary>
/// Login with an API token: a valid one becomes the session cookie (see <see cref="SessionCookie"/>). The body must be
/// JSON, which a cross-site form cannot send, so no other site can log a browser in under its own token. Every login
/// is in the audit log, refused ones counted like any refused request (<see cref="RefusalAudit"/>); the token never is.
/// </summary>
internal static class DashboardLogin
{
    public static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> LoginAsync(LoginRequest request, HttpContext context, IStore store, RefusalAudit refusals, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var (user, expiresAt, failure) = await TokenAuthenticationHandler.ValidateAsync(store, time, (request.Token ?? "").Trim(), session: true, cancellationToken);
        var now = time.GetUtcNow();
        var name = user?.Identity?.Name ?? "anonymous";
        var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (user is null)
        {
            await refusals.RecordAsync(new Refusal(source, name, "401", failure!, "POST /ui/login", "", failure!), CancellationToken.None);
        }
        else
        {
            await store.AppendAuditAsync(new AuditRecord(now, name, "POST /ui/login", "", source, "200", "dashboard session started"), CancellationToken.None);
        }

        DashboardLog.Login(logs.CreateLogger(typeof(DashboardLogin).FullName!), name, failure ?? "ok");
        if (user is null)
        {
            return TypedResults.Problem($"{failure}: paste an API token (rewind token create)", statusCode: StatusCodes.Status401Unauthorized, title: "login refused");
        }

        var expires = now + SessionCookie.MaxAge;
        SessionCookie.Issue(context.Response, request.Token!.Trim(), expiresAt is { } end && end < expires ? end : expires);
        return TypedResults.Ok(new SessionDto(name, AccessPolicies.RolesOf(user)));
    }

    /// <summary>
    /// Ends the session: both cookies go. The session cookie and its CSRF header must both come with the request, so a
    /// cross-site form (which carries neither, the cookies being SameSite) gets a 403 without a Set-Cookie and cannot end
    /// an operator's session.
    /// </summary>
    public static IResult Logout(HttpContext context)
    {
        if (context.Request.Cookies[SessionCookie.Name] is not { Length: > 0 } token
            || !SessionCookie.CsrfMatches(token, context.Request.Headers[SessionCookie.CsrfHeader].ToString()))
        {
            return Results.Problem($"logout needs the session cookie and the {SessionCookie.CsrfHeader} header of the session; the session, if any, goes on", statusCode: StatusCodes.Status403Forbidden, title: "CSRF check failed");
        }

        SessionCookie.Clear(context.Response);
        return Results.NoContent();
    }
}
