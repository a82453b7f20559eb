using Rewind.Core.Access;
using Rewind.Core.Audit;
using Rewind.Core.Storage;

namespace Rewind.Server.Access;

/// <summary>
/// The first admin, made straight in the store by whoever can read the config and the store (<c>rewind access init</c>);
/// every later user and token is made through the API by an admin.
/// </summary>
public static class AccessBootstrap
{
    /// <summary>Creates <paramref name="name"/> as an admin with a token and returns the token; refuses when an active admin exists unless <paramref name="force"/>.</summary>
    public static async Task<(string? Token, string? Refusal)> CreateAdminAsync(IStore store, string name, TimeProvider time, string source, bool force = false, TimeSpan? life = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        if (!Roles.IsValidUserName(name))
        {
            return (null, $"user name '{name}': lower-case letters, digits, '.', '_', '-' or '@', starting with a letter or digit");
        }

        var users = await store.GetUsersAsync(cancellationToken);
        if (!force && users.FirstOrDefault(u => u.IsActive && u.Roles.Contains(Roles.Admin, StringComparer.Ordinal)) is { } admin)
        {
            return (null, $"an admin exists already ({admin.Name}); ask them for a token (rewind token create), or pass --force to add another admin from this machine");
        }

        var now = time.GetUtcNow();
        if (users.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal)) is { } existing && !existing.Roles.Contains(Roles.Admin, StringComparer.Ordinal))
        {
            return (null, $"user {name} exists without the admin role; choose another name");
        }

        await store.CreateUserAsync(new User(name, [Roles.Admin], now, source), cancellationToken);
        var secret = TokenSecret.New(TokenSecret.ApiPrefix);
        var token = new ApiToken(TokenSecret.NewId(), name, "made by rewind access init", now, life is { } l ? now + l : null);
        await store.CreateTokenAsync(token, TokenSecret.Hash(secret), cancellationToken);
        await store.AppendAuditAsync(new AuditRecord(now, source, "access init", $"user={name}", "local", "created", $"admin user and token {token.Id}"), cancellationToken);
        return (secret, null);
    }

    /// <summary>An admin token for an in-process controller (the demo, benchmarks, tests): the user is made when missing.</summary>
    public static async Task<string> AdminTokenAsync(IServiceProvider services, string name, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = (IStore)services.GetService(typeof(IStore))!;
        var (token, refusal) = await CreateAdminAsync(store, name, TimeProvider.System, source, force: true, cancellationToken: cancellationToken);
        return token ?? throw new InvalidOperationException(refusal);
    }
}
