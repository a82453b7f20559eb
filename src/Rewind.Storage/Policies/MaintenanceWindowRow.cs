using Rewind.Core.Policies;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Policies;

/// <summary>A <c>maintenance_windows</c> row as Dapper reads it.</summary>
internal sealed class MaintenanceWindowRow
{
    public const string Columns = "component AS Component, starts_at AS StartsAt, ends_at AS EndsAt, reason AS Reason, declared_by AS DeclaredBy";

    public string Component { get; set; } = "";

    public long StartsAt { get; set; }

    public long EndsAt { get; set; }

    public string Reason { get; set; } = "";

    public string DeclaredBy { get; set; } = "";

    public MaintenanceWindow ToWindow() => new(Component, DbValues.FromMs(StartsAt), DbValues.FromMs(EndsAt), Reason, DeclaredBy);
}
