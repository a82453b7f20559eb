namespace Rewind.Core.Backups;

/// <summary>One scheduled base backup, incremental base backup, logical dump, file backup, quick verification, restore drill or expiry of a component, and how it ended.</summary>
public sealed record BackupRun(string Component, string Kind, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Succeeded, string Summary)
{
    public const string BaseBackup = "base-backup";

    /// <summary>A base backup requested as incremental: its summary says whether an incremental or (and why) a full set was taken.</summary>
    public const string IncrementalBackup = "incremental-backup";
    public const string Verify = "verify";
    public const string Drill = "drill";
    public const string Expire = "expire";
    public const string LogicalDump = "logical-dump";
    public const string FileBackup = "file-backup";
}
