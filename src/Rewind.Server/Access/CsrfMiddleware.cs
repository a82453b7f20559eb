using Microsoft.AspNetCore.Http;

namespace Rewind.Server.Access;

/// <summary>
/// A request that changes state and was authenticated by the session cookie must carry the session's CSRF value in
/// <c>X-Rewind-CSRF</c>; without it the answer is 403 and nothing runs. Requests with a bearer token are not affected:
/// a browser never adds that header by itself. Logging in again over a session is not either: the login takes JSON only,
/// which no cross-site form can send.
/// </summary>
internal sealed class CsrfMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        if (!safe && !context.Request.Path.Equals("/ui/login", StringComparison.Ordinal) && context.User.FindFirst(TokenAuthenticationHandler.SessionClaim) is not null
            && !SessionCookie.CsrfMatches(context.Request.Cookies[SessionCookie.Name] ?? "", context.Request.Headers[SessionCookie.CsrfHeader].ToString()))
        {
            context.Items[TokenAuthenticationHandler.FailureItem] = "CSRF check failed: the session cookie came without its X-Rewind-CSRF header";
            await Results.Problem(
                $"a request that changes state with the session cookie needs the {SessionCookie.CsrfHeader} header of the session; nothing was done",
                statusCode: StatusCodes.Status403Forbidden,
                title: "CSRF check failed").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
