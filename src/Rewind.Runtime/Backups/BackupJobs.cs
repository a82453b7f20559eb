using System.Globalization;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Backups;

/// <summary>
/// One job of a component's backups (<see cref="BackupRun"/> kinds): what it did, in one line for the record. Run by the
/// controller's schedule for a component on its own host, by the host's agent for a component on another host.
/// </summary>
public static partial class BackupJobs
{
    public static async Task<(bool Succeeded, string Summary)> RunAsync(BackupTarget target, string kind, string? configPath, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case BackupRun.BaseBackup or BackupRun.IncrementalBackup when target.Tools is { } tools:
                var request = new BaseBackupRequest(target.Url) { Incremental = kind == BackupRun.IncrementalBackup, MaxChain = target.Config.Incremental?.MaxChain ?? 0 };
                var backup = await new BaseBackup(target.Repository, tools).RunAsync(request, cancellationToken);
                return (backup.Succeeded, backup.Manifest is { } set ? Summary(set, backup.WhyFull) : backup.Message);
            case BackupRun.LogicalDump or BackupRun.FileBackup:
                return await RunSetAsync(target, kind, cancellationToken);
            case BackupRun.Verify:
                var report = await new BackupVerifier(target.Repository).VerifyAsync(target.Verification(), cancellationToken);
                var errors = report.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.ToString()).ToList();
                return (report.Passed, string.Create(CultureInfo.InvariantCulture, $"{report.SetsChecked.Count} set(s), {report.FilesChecked} file(s), {report.WalFilesChecked} WAL file(s), {Sizes.Format(report.BytesChecked)} checked in {Durations.Format(report.Duration)}{(errors.Count == 0 ? "" : "; " + string.Join("; ", errors))}"));
            case BackupRun.Drill when target.Tools is not null && configPath is not null:
                var drill = await target.DrillAsync(configPath, cancellationToken);
                return (drill.Succeeded, drill.Describe());
            case BackupRun.Expire:
                try
                {
                    return (true, (await target.ExpireAsync(cancellationToken: cancellationToken)).Describe());
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return (false, $"expiry stopped: {ex.Message}");
                }

            case BackupRun.Drill:
                return (false, "a scheduled restore drill needs the config file's path (rewind serve --config, rewind agent --config) and a postgres component");
            default:
                return (false, $"{kind} needs a postgres component");
        }
    }

    /// <summary>A base backup's line: its type (and parent, or why a requested incremental is a full set), what it stored and referenced, the WAL it needs.</summary>
    public static string Summary(BackupManifest set, string? whyFull)
    {
        ArgumentNullException.ThrowIfNull(set);
        var stored = set.Files.Count(file => file.StoredIn is null);
        return set.Type == BackupType.Incremental
            ? $"incremental set {set.SetId} on {set.Parent}: {stored} files stored, {Sizes.Format(set.TotalSize - set.ReferencedSize)} ({Sizes.Format(set.TotalStoredSize)} stored); {set.Files.Count - stored} files referenced, {Sizes.Format(set.ReferencedSize)}; WAL {set.WalStart}..{set.WalStop}"
            : $"{(whyFull is null ? "" : $"full taken (incremental requested: {whyFull}): ")}set {set.SetId}: {set.Files.Count} files, {Sizes.Format(set.TotalSize)} ({Sizes.Format(set.TotalStoredSize)} stored), WAL {set.WalStart}..{set.WalStop}";
    }
}
