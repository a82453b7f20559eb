using Dapper;
using Rewind.Core.Access;
using Rewind.Core.Audit;
using Rewind.Storage.Access;
using Rewind.Storage.Sql;

namespace Rewind.Storage;

internal sealed partial class RelationalStore
{
    public async Task<bool> CreateUserAsync(User user, CancellationToken cancellationToken = default)
    {
        try
        {
            await ExecuteAsync(
                "INSERT INTO users (name, roles, created_at, created_by) VALUES (@Name, @Roles, @CreatedAt, @CreatedBy)",
                new { user.Name, Roles = string.Join(',', user.Roles), CreatedAt = DbValues.ToMs(user.CreatedAt), user.CreatedBy },
                cancellationToken);
            return true;
        }
        catch (Exception ex) when (_dialect.IsUniqueViolation(ex))
        {
            return false;
        }
    }

    public async Task<User?> GetUserAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserRow.Columns} FROM users WHERE name = @Name", new { Name = name }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    public async Task<IReadOnlyList<User>> GetUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition($"SELECT {UserRow.Columns} FROM users ORDER BY name", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToUser())];
    }

    public async Task<bool> DisableUserAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET disabled_at = @At WHERE name = @Name AND disabled_at IS NULL",
            new { Name = name, At = DbValues.ToMs(at) },
            cancellationToken: cancellationToken)) > 0;
    }

    public Task CreateTokenAsync(ApiToken token, string hash, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "INSERT INTO api_tokens (id, user_name, hash, description, created_at, expires_at) VALUES (@Id, @User, @Hash, @Description, @CreatedAt, @ExpiresAt)",
            new { token.Id, token.User, Hash = hash, token.Description, CreatedAt = DbValues.ToMs(token.CreatedAt), ExpiresAt = token.ExpiresAt is { } e ? DbValues.ToMs(e) : (long?)null },
            cancellationToken);

    public async Task<(ApiToken Token, User User)?> FindTokenAsync(string hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var token = await connection.QueryFirstOrDefaultAsync<TokenRow>(new CommandDefinition(
            $"SELECT {TokenRow.Columns} FROM api_tokens WHERE hash = @Hash", new { Hash = hash }, cancellationToken: cancellationToken));
        if (token is null)
        {
            return null;
        }

        var user = await connection.QueryFirstAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserRow.Columns} FROM users WHERE name = @Name", new { Name = token.UserName }, cancellationToken: cancellationToken));
        return (token.ToToken(), user.ToUser());
    }

    public async Task<IReadOnlyList<ApiToken>> GetTokensAsync(string? user = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TokenRow>(new CommandDefinition(
            $"SELECT {TokenRow.Columns} FROM api_tokens {(user is null ? "" : "WHERE user_name = @User")} ORDER BY created_at DESC, id",
            new { User = user },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToToken())];
    }

    public async Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_tokens SET revoked_at = @At WHERE id = @Id AND revoked_at IS NULL",
            new { Id = id, At = DbValues.ToMs(at) },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task<bool> SetTotpSecretAsync(string name, string secret, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET totp_secret = @Secret, totp_last_step = NULL WHERE name = @Name",
            new { Name = name, Secret = secret },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task<(string Secret, long? LastStep)?> GetTotpAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<(string? Secret, long? LastStep)>(new CommandDefinition(
            "SELECT totp_secret, totp_last_step FROM users WHERE name = @Name", new { Name = name }, cancellationToken: cancellationToken));
        return row.Secret is { } secret ? (secret, row.LastStep) : null;
    }

    public async Task<bool> UseTotpStepAsync(string name, long timeStep, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET totp_last_step = @Step WHERE name = @Name AND (totp_last_step IS NULL OR totp_last_step < @Step)",
            new { Name = name, Step = timeStep },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Optimistic: read the newest entry, insert the next sequence number; another writer that took it first makes this one retry.</summary>
    public async Task<AuditEntry> AppendAuditAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
        await _auditRetry.ExecuteAsync(token => new ValueTask<AuditEntry>(AppendAuditOnceAsync(record, token)), cancellationToken);

    private Task<AuditEntry> AppendAuditOnceAsync(AuditRecord record, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                var last = await connection.QueryFirstOrDefaultAsync<AuditRow>(new CommandDefinition(
                    $"SELECT {AuditRow.Columns} FROM audit_log ORDER BY seq DESC LIMIT 1", transaction: transaction, cancellationToken: cancellationToken));
                var seq = (last?.Seq ?? 0) + 1;
                var previous = last?.Hash ?? AuditChain.Genesis;
                var hash = AuditChain.HashOf(seq, previous, record);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO audit_log (seq, at, actor, action, target, source, result, detail, previous_hash, hash, count)
                    VALUES (@Seq, @At, @Actor, @Action, @Target, @Source, @Result, @Detail, @PreviousHash, @Hash, @Count)
                    """,
                    new { Seq = seq, At = DbValues.ToMs(record.At), record.Actor, record.Action, record.Target, record.Source, record.Result, record.Detail, PreviousHash = previous, Hash = hash, record.Count },
                    transaction,
                    cancellationToken: cancellationToken));
                return new AuditEntry(seq, DbValues.FromMs(DbValues.ToMs(record.At)), record.Actor, record.Action, record.Target, record.Source, record.Result, record.Detail, previous, hash, record.Count);
            },
            cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"SELECT {AuditRow.Columns} FROM audit_log WHERE seq > @After ORDER BY seq LIMIT @Limit",
            new { After = afterSeq, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }
}
