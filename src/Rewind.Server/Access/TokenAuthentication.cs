using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rewind.Core.Access;
using Rewind.Core.Agents;
using Rewind.Core.Storage;
using Rewind.Storage;

namespace Rewind.Server.Access;

/// <summary>
/// <c>Authorization: Bearer rwt_…</c>: the token's SHA-256 is looked up in the store; a revoked or expired token, or
/// one of a disabled user, fails with the reason (kept for the 401 answer and the audit entry, never the token).
/// Without that header, the dashboard's session cookie (<see cref="SessionCookie"/>) carries the same token; such a
/// request is marked with <see cref="SessionClaim"/> so that <see cref="CsrfMiddleware"/> checks it.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IStore store,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string TokenIdClaim = "rewind:token";
    public const string FailureItem = "rewind:auth-failure";
    public const string SessionClaim = "rewind:session";

    /// <summary>The host of an agent token: the one host whose work the caller may poll and report.</summary>
    public const string AgentHostClaim = "rewind:agent-host";

    /// <summary>Set when the store could not be asked about the token: a request that needs a user then answers 503, not 401.</summary>
    public const string StoreUnavailableItem = "rewind:auth-store-unavailable";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        try
        {
            return await AuthenticateWithStoreAsync();
        }
        catch (Exception ex) when (StoreFactory.IsUnavailable(ex))
        {
            // Not the caller's fault: anonymous endpoints (health, metrics) still answer; the rest answer 503, not 401
            // (ProblemAuthorizationResultHandler).
            Context.Items[StoreUnavailableItem] = true;
            return AuthenticateResult.NoResult();
        }
    }

    private async Task<AuthenticateResult> AuthenticateWithStoreAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Request.Cookies[SessionCookie.Name] is { Length: > 0 } cookie
                ? Result(await ValidateAsync(store, time, cookie, session: true, Context.RequestAborted))
                : AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return Fail("expected Authorization: Bearer TOKEN");
        }

        return Result(await ValidateAsync(store, time, header["Bearer ".Length..].Trim(), session: false, Context.RequestAborted));
    }

    /// <summary>The user a token stands for, or why it does not count; also used by the dashboard's login.</summary>
    internal static async Task<(ClaimsPrincipal? User, DateTimeOffset? ExpiresAt, string? Failure)> ValidateAsync(IStore store, TimeProvider time, string secret, bool session, CancellationToken cancellationToken = default)
    {
        if (secret.StartsWith(AgentToken.Prefix, StringComparison.Ordinal))
        {
            return session ? (null, null, "an agent token does not sign in to the dashboard") : await ValidateAgentAsync(store, time, secret, cancellationToken);
        }

        if (secret.Length is 0 or > 512 || await store.FindTokenAsync(TokenSecret.Hash(secret), cancellationToken) is not { } found)
        {
            return (null, null, "unknown token");
        }

        if (found.Token.Refusal(time.GetUtcNow()) is { } refusal)
        {
            return (null, null, refusal);
        }

        if (!found.User.IsActive)
        {
            return (null, null, $"user {found.User.Name} is disabled");
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, found.User.Name), new(TokenIdClaim, found.Token.Id) };
        claims.AddRange(found.User.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (session)
        {
            claims.Add(new Claim(SessionClaim, "cookie"));
        }

        return (new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), found.Token.ExpiresAt, null);
    }

    /// <summary>An agent: named <c>agent:HOST</c>, no role (so no endpoint but the agent's own), its host in <see cref="AgentHostClaim"/>.</summary>
    private static async Task<(ClaimsPrincipal? User, DateTimeOffset? ExpiresAt, string? Failure)> ValidateAgentAsync(IStore store, TimeProvider time, string secret, CancellationToken cancellationToken)
    {
        if (secret.Length > 512 || await store.FindAgentTokenAsync(TokenSecret.Hash(secret), cancellationToken) is not { } token)
        {
            return (null, null, "unknown agent token");
        }

        if (token.Refusal(time.GetUtcNow()) is { } refusal)
        {
            return (null, null, refusal);
        }

        Claim[] claims = [new(ClaimTypes.Name, AgentName(token.Host)), new(TokenIdClaim, token.Id), new(AgentHostClaim, token.Host)];
        return (new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), token.ExpiresAt, null);
    }

    /// <summary>How an agent is named in the audit log and the record: <c>agent:HOST</c>.</summary>
    public static string AgentName(string host) => $"agent:{host}";

    private AuthenticateResult Result((ClaimsPrincipal? User, DateTimeOffset? ExpiresAt, string? Failure) validated) =>
        validated.User is { } user ? AuthenticateResult.Success(new AuthenticationTicket(user, SchemeName)) : Fail(validated.Failure!);

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
