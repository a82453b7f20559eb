using System.Text.Json.Serialization;

namespace Rewind.Core.Runbooks;

/// <summary>
/// A point-in-time restore of a backed-up PostgreSQL component to a named restore point, inside a plan: the live
/// cluster is stopped, the restore made beside it, verified and swapped in (the replaced data directory kept), and the
/// cluster started again. Destructive to the data written after the point, so a plan reaches it only after a snapshot
/// of the same component and, unless a policy's plan says otherwise, behind its own approval.
/// </summary>
public sealed record DatabaseRestoreStep(string Component, string RestorePoint, string? Label = null) : PlanStep
{
    public const string KindName = "restore";

    [JsonIgnore]
    public override string Kind => KindName;

    /// <summary>The approval a restore step waits for unless its plan's policy says otherwise.</summary>
    public static ApprovalStep Gate(string component, string restorePoint, string? label) => new(
        $"Restore the database {component} to restore point {restorePoint}? Everything written after it is set aside (the replaced data directory is kept).",
        [Access.Roles.Approver],
        [],
        TwoPerson: true,
        SecondFactor: false,
        DecideWithin: TimeSpan.FromMinutes(15),
        OnTimeout: Configuration.GateTimeout.Fail,
        Label: label is null ? "approve restore" : $"approve {label}");

    public override string Describe() =>
        $"{(Label is null ? "" : Label + ": ")}restore {Component} to restore point {RestorePoint}: stop the cluster, restore beside it, verify, swap in (replaced data directory kept), start it";
}

/// <summary>
/// One job of a component's backups (a <see cref="Backups.BackupRun"/> kind: base backup, logical dump, file backup,
/// verification, restore drill, expiry) run by the agent of the host the component is on, for the controller's backup
/// schedule. Never part of a plan: the job's record is a backup run, as for a cluster on the controller's own host.
/// </summary>
public sealed record BackupJobStep(string Component, string Job) : PlanStep
{
    public const string KindName = "backup-job";

    [JsonIgnore]
    public override string Kind => KindName;

    public override string Describe() => $"{Job} of {Component} (components.{Component}.backups)";
}
