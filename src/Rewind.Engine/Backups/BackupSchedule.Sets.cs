using Rewind.Core.Backups;
using Rewind.Core.Configuration;

namespace Rewind.Engine.Backups;

internal sealed partial class BackupSchedule
{
    /// <summary>The schedules of incremental base backups (<c>backups.incremental.schedule</c>), logical dumps (<c>backups.logical.schedule</c>) and file backups (<c>backups.files.schedule</c>).</summary>
    private static IEnumerable<(string Kind, string Cron)> SetSchedules(BackupsConfig backups)
    {
        if (backups.Incremental?.Schedule is { } incrementals)
        {
            yield return (BackupRun.IncrementalBackup, incrementals);
        }

        if (backups.Logical?.Schedule is { } dumps)
        {
            yield return (BackupRun.LogicalDump, dumps);
        }

        if (backups.Files?.Schedule is { } files)
        {
            yield return (BackupRun.FileBackup, files);
        }
    }
}
