using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rewind.Core.Access;

namespace Rewind.Server.Access;

/// <summary>
/// One authorisation policy per built-in role, named after it; a policy passes when the user's roles grant the role. An
/// agent holds no role: it passes only <see cref="AgentPolicy"/>.
/// </summary>
internal static class AccessPolicies
{
    /// <summary>The agent endpoints' policy: an agent token, which is good for nothing else (it holds no role).</summary>
    public const string AgentPolicy = "agent";

    /// <summary>The host of the calling agent, or null for anyone else.</summary>
    public static string? AgentHost(ClaimsPrincipal user) => user.FindFirst(TokenAuthenticationHandler.AgentHostClaim)?.Value;

    public static void AddRewindAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(options =>
        {
            foreach (var role in Roles.BuiltIn)
            {
                options.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireAssertion(c => Roles.Grants(RolesOf(c.User), role)));
            }

            options.AddPolicy(AgentPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(TokenAuthenticationHandler.AgentHostClaim));
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
    }

    public static IReadOnlyList<string> RolesOf(ClaimsPrincipal user) => [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)];

    /// <summary>Who is acting: the authenticated user's name.</summary>
    public static string Actor(HttpContext context) => context.User.Identity?.Name ?? "anonymous";
}

/// <summary>
/// 401 and 403 as problem details that say what is missing, instead of an empty body; 503 <c>store unavailable</c> when
/// the token could not be checked because the store does not answer.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged && context.Items.ContainsKey(TokenAuthenticationHandler.StoreUnavailableItem))
        {
            context.Response.Headers.RetryAfter = Api.StoreOutageAnswers.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Problem("the store does not answer, so the token cannot be checked now; GET /api/v1/health says when it is back", statusCode: StatusCodes.Status503ServiceUnavailable, title: "store unavailable").ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Challenged)
        {
            var reason = context.Items.TryGetValue(TokenAuthenticationHandler.FailureItem, out var failure) ? (string)failure! : "no token: send Authorization: Bearer TOKEN (rewind token create, or REWIND_TOKEN for the CLI)";
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"rewind\"";
            await Results.Problem(reason, statusCode: StatusCodes.Status401Unauthorized, title: "not authenticated").ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = RequiredRoles(context).FirstOrDefault() ?? "a role";
            var held = AccessPolicies.RolesOf(context.User);
            await Results.Problem(
                $"{AccessPolicies.Actor(context)} has {(held.Count == 0 ? "no role" : string.Join(", ", held))}; this needs {needed}",
                statusCode: StatusCodes.Status403Forbidden,
                title: "not allowed").ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static IEnumerable<string> RequiredRoles(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).Select(p => p!).Distinct(StringComparer.Ordinal).TakeLast(1) ?? [];
}
