using System.Globalization;
using Microsoft.Extensions.Logging;
using Rewind.Core.Backups;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Agents;
using Rewind.Engine.Hosting;
using Rewind.Runtime.Backups;

namespace Rewind.Engine.Backups;

/// <summary>
/// Runs each component's scheduled base backups (<c>backups.schedule</c>), incremental base backups
/// (<c>backups.incremental.schedule</c>, recorded as <c>incremental-backup</c> runs), logical dumps (<c>backups.logical.schedule</c>),
/// file backups (<c>backups.files.schedule</c>), quick verifications
/// (<c>verify.schedule</c>) and restore drills (<c>verify.full-schedule</c>), one at a time, and records every run in
/// the store. A run is due when its cron expression fell due after the last recorded run of its kind (or after the
/// controller started, for one never run), so a controller that was down runs a missed schedule once when it is back.
/// After each successful base backup (full or incremental), logical dump or file backup, retention (<c>backups.retention</c>) is applied and recorded as an <c>expire</c> run.
/// A component on another host (<c>host:</c>) has each job run there by the host's agent (<see cref="HostJobs"/>), with its
/// own config file; the run is recorded here alike.
/// </summary>
internal sealed partial class BackupSchedule(ConfigHolder config, IStore store, RewindEngineOptions options, HostJobs hostJobs, TimeProvider time, ILogger<BackupSchedule> logger)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    /// <summary>Runs every job that is due now; the host calls it on a tick (<c>BackupScheduleTick</c>, 30 s by default).</summary>
    public async Task RunDueAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (name, component) in config.Current.Components)
        {
            if (component.Backups is not { } backups)
            {
                continue;
            }

            var runs = await store.GetBackupRunsAsync(name, 50, cancellationToken);
            foreach (var (kind, cron) in Schedules(backups).Concat(SetSchedules(backups)))
            {
                var last = runs.FirstOrDefault(r => r.Kind == kind)?.StartedAt ?? _started;
                if (Next(cron, last) is { } due && due <= time.GetUtcNow())
                {
                    await RunAsync(name, kind, due, cancellationToken);
                }
            }
        }
    }

    private async Task RunAsync(string component, string kind, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var (succeeded, summary) = await RunJobAsync(component, kind, due, cancellationToken);
        await store.RecordBackupRunAsync(new BackupRun(component, kind, started, time.GetUtcNow(), succeeded, summary), cancellationToken);
        LogRun(logger, kind, component, succeeded ? "succeeded" : "FAILED", summary);
        if (succeeded && kind is BackupRun.BaseBackup or BackupRun.IncrementalBackup or BackupRun.LogicalDump or BackupRun.FileBackup)
        {
            await RunAsync(component, BackupRun.Expire, due, cancellationToken); // retention applies once a new set is safely in
        }
    }

    private async Task<(bool Succeeded, string Summary)> RunJobAsync(string component, string kind, DateTimeOffset due, CancellationToken cancellationToken)
    {
        if (config.Component(component) is { Host: { } host } onHost)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"backup.{component}.{kind}.{due:yyyyMMdd'T'HHmmss'Z'}");
            return await hostJobs.RunAsync(host, key, new BackupJobStep(component, kind), onHost.Unreachable.Wait, cancellationToken);
        }

        var (target, why) = BackupTarget.From(config.Current, component);
        return target is null ? (false, why!) : await BackupJobs.RunAsync(target, kind, options.ConfigPath, cancellationToken);
    }

    private static IEnumerable<(string Kind, string Cron)> Schedules(BackupsConfig backups)
    {
        if (backups.Schedule is { } baseBackups)
        {
            yield return (BackupRun.BaseBackup, baseBackups);
        }

        if (backups.Verify.Schedule is { } verify)
        {
            yield return (BackupRun.Verify, verify);
        }

        if (backups.Verify.FullSchedule is { } drill)
        {
            yield return (BackupRun.Drill, drill);
        }
    }

    private static DateTimeOffset? Next(string cron, DateTimeOffset after) =>
        new Quartz.CronExpression(cron).WithTimeZone(TimeZoneInfo.Utc).GetNextValidTimeAfter(after);

    [LoggerMessage(4201, LogLevel.Information, "Scheduled {Kind} of {Component} {Outcome}: {Summary}")]
    private static partial void LogRun(ILogger logger, string kind, string component, string outcome, string summary);
}
