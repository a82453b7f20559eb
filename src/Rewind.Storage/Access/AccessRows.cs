using Rewind.Core.Access;
using Rewind.Core.Audit;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Access;

/// <summary>A <c>users</c> row as Dapper reads it; roles are kept comma-separated.</summary>
internal sealed class UserRow
{
    public const string Columns = "name AS Name, roles AS Roles, created_at AS CreatedAt, created_by AS CreatedBy, disabled_at AS DisabledAt";

    public string Name { get; set; } = "";

    public string Roles { get; set; } = "";

    public long CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public long? DisabledAt { get; set; }

    public User ToUser() => new(Name, Roles.Split(',', StringSplitOptions.RemoveEmptyEntries), DbValues.FromMs(CreatedAt), CreatedBy, DisabledAt is { } d ? DbValues.FromMs(d) : null);
}

/// <summary>An <c>api_tokens</c> row as Dapper reads it.</summary>
internal sealed class TokenRow
{
    public const string Columns = "id AS Id, user_name AS UserName, description AS Description, created_at AS CreatedAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt";

    public string Id { get; set; } = "";

    public string UserName { get; set; } = "";

    public string Description { get; set; } = "";

    public long CreatedAt { get; set; }

    public long? ExpiresAt { get; set; }

    public long? RevokedAt { get; set; }

    public ApiToken ToToken() => new(Id, UserName, Description, DbValues.FromMs(CreatedAt), ExpiresAt is { } e ? DbValues.FromMs(e) : null, RevokedAt is { } r ? DbValues.FromMs(r) : null);
}

/// <summary>An <c>audit_log</c> row as Dapper reads it.</summary>
internal sealed class AuditRow
{
    public const string Columns = "seq AS Seq, at AS At, actor AS Actor, action AS Action, target AS Target, source AS Source, result AS Result, detail AS Detail, previous_hash AS PreviousHash, hash AS Hash, count AS Count";

    public long Seq { get; set; }

    public long At { get; set; }

    public string Actor { get; set; } = "";

    public string Action { get; set; } = "";

    public string Target { get; set; } = "";

    public string Source { get; set; } = "";

    public string Result { get; set; } = "";

    public string Detail { get; set; } = "";

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";

    public long Count { get; set; } = 1;

    public AuditEntry ToEntry() => new(Seq, DbValues.FromMs(At), Actor, Action, Target, Source, Result, Detail, PreviousHash, Hash, Count);
}
