using System.Globalization;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;
using Rewind.Runtime.Backups;

namespace Rewind.Server.Backups;

/// <summary>One scheduled job of a component's backups: what it did, in one line for the record.</summary>
internal static class BackupJobs
{
    public static async Task<(bool Succeeded, string Summary)> RunAsync(BackupTarget target, string kind, string? configPath, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case BackupRun.BaseBackup when target.Tools is { } tools:
                var backup = await new BaseBackup(target.Repository, tools).RunAsync(new BaseBackupRequest(target.Url), cancellationToken);
                return (backup.Succeeded, backup.Manifest is { } set ? string.Create(CultureInfo.InvariantCulture, $"set {set.SetId}: {set.Files.Count} files, {set.TotalSize} bytes ({set.TotalStoredSize} stored), WAL {set.WalStart}..{set.WalStop}") : backup.Message);
            case BackupRun.Verify:
                var report = await new BackupVerifier(target.Repository).VerifyAsync(new VerificationRequest { MaxWalAge = target.Postgres is null ? null : target.Config.MaxAge }, cancellationToken);
                var errors = report.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.ToString()).ToList();
                return (report.Passed, string.Create(CultureInfo.InvariantCulture, $"{report.SetsChecked.Count} set(s), {report.FilesChecked} file(s), {report.WalFilesChecked} WAL file(s), {report.BytesChecked} bytes checked in {Durations.Format(report.Duration)}{(errors.Count == 0 ? "" : "; " + string.Join("; ", errors))}"));
            case BackupRun.Drill when target.Tools is { } tools && configPath is not null:
                var scratch = Path.Combine(Path.GetTempPath(), $"rewind-drill-{target.Component}-{Guid.NewGuid():N}");
                try
                {
                    var drill = await new RestoreDrill(new PointInTimeRestore(target.Repository, tools)).RunAsync(
                        new RestoreDrillRequest(scratch, FetchCommand(target.Component, configPath)) { VerificationQueries = target.CheckQueries() },
                        cancellationToken);
                    return (drill.Succeeded, drill.Succeeded
                        ? $"set {drill.Restore.SetId} restored and checked in {Durations.Format(drill.RecoveryTime)} (RTO); newest restorable commit {(drill.DataLoss is { } loss ? Durations.Format(loss) + " behind (RPO)" : "unknown")}"
                        : drill.Restore.Message);
                }
                finally
                {
                    if (Directory.Exists(scratch))
                    {
                        Directory.Delete(scratch, recursive: true);
                    }
                }

            case BackupRun.Drill:
                return (false, "a scheduled restore drill needs the controller started with its config file (rewind serve --config) and a postgres component");
            default:
                return (false, $"{kind} needs a postgres component");
        }
    }

    /// <summary>The controller's own executable as <c>restore_command</c>: <c>rewind wal fetch COMPONENT --config PATH</c>.</summary>
    private static List<string> FetchCommand(string component, string configPath)
    {
        var process = Environment.ProcessPath ?? "rewind";
        List<string> argv = Path.GetFileNameWithoutExtension(process) == "dotnet" && Environment.GetCommandLineArgs() is [var entry, ..] && entry.EndsWith(".dll", StringComparison.Ordinal) ? [process, entry] : [process];
        argv.AddRange(["wal", "fetch", component, "--config", configPath]);
        return argv;
    }
}
