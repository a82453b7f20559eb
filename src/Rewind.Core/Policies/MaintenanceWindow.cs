namespace Rewind.Core.Policies;

/// <summary>
/// A declared window in which a component is expected to misbehave (a migration, planned work): its signals are still
/// recorded, but no policy acts, and failures inside the window do not count afterwards.
/// </summary>
public sealed record MaintenanceWindow(string Component, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Reason, string DeclaredBy)
{
    public bool IsActiveAt(DateTimeOffset at) => StartsAt <= at && at < EndsAt;
}
