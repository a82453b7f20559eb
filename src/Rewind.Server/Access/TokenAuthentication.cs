using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rewind.Core.Access;
using Rewind.Core.Storage;

namespace Rewind.Server.Access;

/// <summary>
/// <c>Authorization: Bearer rwt_…</c>: the token's SHA-256 is looked up in the store; a revoked or expired token, or
/// one of a disabled user, fails with the reason (kept for the 401 answer and the audit entry, never the token).
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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 512)
        {
            return Fail("expected Authorization: Bearer TOKEN");
        }

        var secret = header["Bearer ".Length..].Trim();
        if (await store.FindTokenAsync(TokenSecret.Hash(secret), Context.RequestAborted) is not { } found)
        {
            return Fail("unknown token");
        }

        if (found.Token.Refusal(time.GetUtcNow()) is { } refusal)
        {
            return Fail(refusal);
        }

        if (!found.User.IsActive)
        {
            return Fail($"user {found.User.Name} is disabled");
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, found.User.Name), new(TokenIdClaim, found.Token.Id) };
        claims.AddRange(found.User.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
