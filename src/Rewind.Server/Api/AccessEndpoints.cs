using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.Core.Audit;
using Rewind.Core.Configuration;
using Rewind.Core.Storage;
using Rewind.Server.Access;

namespace Rewind.Server.Api;

/// <summary>Users, their tokens, and the audit log. Admins manage users; a user may make and revoke their own tokens.</summary>
internal static class AccessEndpoints
{
    private static readonly TimeSpan DefaultTokenLife = TimeSpan.FromDays(90);
    private static readonly TimeSpan LongestTokenLife = TimeSpan.FromDays(366);

    public static void MapAccessEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/whoami", (HttpContext context) => TypedResults.Ok(new WhoAmIDto(AccessPolicies.Actor(context), AccessPolicies.RolesOf(context.User), context.User.FindFirst(TokenAuthenticationHandler.TokenIdClaim)?.Value)));
        api.MapGet("/users", async (IStore store, CancellationToken cancellationToken) => TypedResults.Ok((await store.GetUsersAsync(cancellationToken)).Select(ToDto).ToList())).RequireAuthorization(Roles.Admin);
        api.MapPost("/users", CreateUserAsync).RequireAuthorization(Roles.Admin);
        api.MapPost("/users/{name}/disable", async Task<Results<NoContent, ProblemHttpResult>> (string name, IStore store, TimeProvider time, CancellationToken cancellationToken) =>
            await store.DisableUserAsync(name, time.GetUtcNow(), cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("no such active user", $"{name} is not an active user"))
            .RequireAuthorization(Roles.Admin);
        api.MapPost("/users/{name}/tokens", CreateTokenAsync);
        api.MapPost("/users/{name}/totp", async Task<Results<Ok<TotpEnrolmentDto>, ProblemHttpResult>> (string name, HttpContext context, IStore store, CancellationToken cancellationToken) =>
        {
            if (!string.Equals(AccessPolicies.Actor(context), name, StringComparison.Ordinal))
            {
                return Forbidden(context, "a second factor is enrolled by its owner, on their own device");
            }

            var secret = Totp.NewSecret();
            return await store.SetTotpSecretAsync(name, secret, cancellationToken)
                ? TypedResults.Ok(new TotpEnrolmentDto(name, secret, Totp.ProvisioningUri("Rewind", name, secret)))
                : Problems.NotFound("no such user", $"no user {name}");
        });
        api.MapGet("/tokens", async (string? user, HttpContext context, IStore store, CancellationToken cancellationToken) =>
        {
            var own = !Roles.Grants(AccessPolicies.RolesOf(context.User), Roles.Admin);
            var tokens = await store.GetTokensAsync(own ? AccessPolicies.Actor(context) : user, cancellationToken);
            return TypedResults.Ok(tokens.Select(t => new TokenDto(t.Id, t.User, t.Description, t.CreatedAt, t.ExpiresAt, t.RevokedAt)).ToList());
        });
        api.MapDelete("/tokens/{id}", RevokeAsync);
        api.MapGet("/audit", async (long? after, int? limit, IStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok((await store.GetAuditAsync(after ?? 0, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken)).Select(e =>
                new AuditEntryDto(e.Seq, e.At, e.Actor, e.Action, e.Target, e.Source, e.Result, e.Detail, e.PreviousHash, e.Hash, e.Count)).ToList()))
            .RequireAuthorization(Roles.Admin);
        api.MapGet("/audit/verify", VerifyAsync).RequireAuthorization(Roles.Admin);
    }

    private static async Task<Results<Created<UserDto>, ProblemHttpResult>> CreateUserAsync(CreateUserRequest request, HttpContext context, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Roles.IsValidUserName(request.Name ?? ""))
        {
            return Problems.Invalid("invalid user", $"user name '{request.Name}': lower-case letters, digits, '.', '_', '-' or '@', starting with a letter or digit, at most 64");
        }

        var roles = (request.Roles ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (roles.Count == 0)
        {
            return Problems.Invalid("invalid user", "give at least one role: viewer, operator, approver, admin, or a custom role such as tech-lead");
        }

        if (roles.FirstOrDefault(r => !Roles.IsValidName(r)) is { } bad)
        {
            return Problems.Invalid("invalid user", $"role '{bad}': lower-case letters, digits and '-', starting with a letter");
        }

        var user = new User(request.Name!, roles, time.GetUtcNow(), AccessPolicies.Actor(context));
        return await store.CreateUserAsync(user, cancellationToken)
            ? TypedResults.Created($"/api/v1/users/{user.Name}", ToDto(user))
            : Problems.Conflict("user exists", $"a user named {user.Name} exists already");
    }

    private static async Task<Results<Created<CreatedTokenDto>, ProblemHttpResult>> CreateTokenAsync(string name, CreateTokenRequest? request, HttpContext context, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsSelfOrAdmin(context, name))
        {
            return Forbidden(context, $"only an admin makes tokens for other users than {AccessPolicies.Actor(context)}");
        }

        if (await store.GetUserAsync(name, cancellationToken) is not { IsActive: true })
        {
            return Problems.NotFound("no such active user", $"{name} is not an active user");
        }

        var now = time.GetUtcNow();
        DateTimeOffset? expires = now + DefaultTokenLife;
        if (request?.ExpiresIn is { Length: > 0 } expiresIn)
        {
            if (string.Equals(expiresIn, "never", StringComparison.Ordinal))
            {
                expires = null;
            }
            else if (Durations.TryParse(expiresIn, out var life) && life > TimeSpan.Zero && life <= LongestTokenLife)
            {
                expires = now + life;
            }
            else
            {
                return Problems.Invalid("invalid token request", $"expiresIn '{expiresIn}': a duration such as 30d or 12h (at most 366d), or never");
            }
        }

        var description = request?.Description?.Trim() ?? "";
        if (description.Length > 200)
        {
            return Problems.Invalid("invalid token request", "description: at most 200 characters");
        }

        var secret = TokenSecret.New(TokenSecret.ApiPrefix);
        var token = new ApiToken(TokenSecret.NewId(), name, description, now, expires);
        await store.CreateTokenAsync(token, TokenSecret.Hash(secret), cancellationToken);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new CreatedTokenDto(token.Id, name, secret, expires));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext context, IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var owner = (await store.GetTokensAsync(null, cancellationToken)).FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));
        if (owner is null)
        {
            return Problems.NotFound("no such token", $"no token {id}");
        }

        if (!IsSelfOrAdmin(context, owner.User))
        {
            return Forbidden(context, $"token {id} belongs to {owner.User}; only they or an admin may revoke it");
        }

        return await store.RevokeTokenAsync(id, time.GetUtcNow(), cancellationToken)
            ? TypedResults.NoContent()
            : Problems.Conflict("already revoked", $"token {id} was revoked already");
    }

    private static async Task<Ok<AuditVerificationDto>> VerifyAsync(IStore store, CancellationToken cancellationToken)
    {
        var all = new List<AuditEntry>();
        for (long after = 0; ;)
        {
            var page = await store.GetAuditAsync(after, 1000, cancellationToken);
            all.AddRange(page);
            if (page.Count < 1000)
            {
                break;
            }

            after = page[^1].Seq;
        }

        var problems = AuditChain.Verify(all);
        return TypedResults.Ok(new AuditVerificationDto(all.Count, problems.Count == 0, problems, all.Count == 0 ? null : all[^1].Hash));
    }

    private static bool IsSelfOrAdmin(HttpContext context, string user) =>
        string.Equals(AccessPolicies.Actor(context), user, StringComparison.Ordinal) || Roles.Grants(AccessPolicies.RolesOf(context.User), Roles.Admin);

    private static ProblemHttpResult Forbidden(HttpContext context, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "not allowed");

    private static UserDto ToDto(User user) => new(user.Name, user.Roles, user.CreatedAt, user.CreatedBy, user.DisabledAt);
}
