using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

public static partial class BackupJobs
{
    /// <summary>A scheduled logical dump (<c>backups.logical</c>) or file backup (<c>backups.files</c>), in one line for the record.</summary>
    private static async Task<(bool Succeeded, string Summary)> RunSetAsync(BackupTarget target, string kind, CancellationToken cancellationToken)
    {
        if (kind == BackupRun.LogicalDump)
        {
            var dump = await target.DumpAsync(cancellationToken: cancellationToken);
            return (dump.Succeeded, dump.Message);
        }

        var files = await target.BackUpFilesAsync(cancellationToken);
        return (files.Succeeded, files.Skipped.Count == 0 ? files.Message : $"{files.Message}: {string.Join("; ", files.Skipped)}");
    }
}
