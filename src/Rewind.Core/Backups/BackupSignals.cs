using Rewind.Core.Signals;

namespace Rewind.Core.Backups;

/// <summary>
/// The signals a component with <c>backups</c> has, so a policy can page on them like on any other:
/// <list type="bullet">
/// <item><c>backup.rpo</c>: seconds since the newest archived WAL file or base backup, whichever is newer (how much would be lost now).</item>
/// <item><c>backup.age</c>: seconds since the newest base backup finished.</item>
/// <item><c>backup.full-verify-age</c>: seconds since the last restore drill that passed.</item>
/// <item><c>backup.verify-failing</c>: 1 when the newest restore drill failed, none has passed, or the last one that passed is older than <c>verify.max-age</c>; else 0.</item>
/// </list>
/// None of them is ever a made-up zero: with nothing to measure the value is no data, with the reason.
/// </summary>
public static class BackupSignals
{
    public const string Rpo = "backup.rpo";
    public const string Age = "backup.age";
    public const string FullVerifyAge = "backup.full-verify-age";
    public const string VerifyFailing = "backup.verify-failing";

    public static readonly IReadOnlyList<string> Names = [Rpo, Age, FullVerifyAge, VerifyFailing];

    /// <summary>Whether <paramref name="signal"/> is one of these (policies on them only notify: a rollback cannot repair a backup).</summary>
    public static bool IsBackupSignal(string signal) => signal.StartsWith("backup.", StringComparison.Ordinal);

    /// <param name="component">The component.</param>
    /// <param name="now">The instant of the values.</param>
    /// <param name="newestWal">When the newest WAL file was archived, if any.</param>
    /// <param name="newestSet">When the newest base backup finished, if any.</param>
    /// <param name="runs">The component's recorded backup runs, any order.</param>
    /// <param name="verifyMaxAge">How old the last passing drill may be.</param>
    public static IReadOnlyList<SignalPoint> Measure(string component, DateTimeOffset now, DateTimeOffset? newestWal, DateTimeOffset? newestSet, IEnumerable<BackupRun> runs, TimeSpan verifyMaxAge)
    {
        var drills = runs.Where(r => r.Kind == BackupRun.Drill).OrderByDescending(r => r.FinishedAt).ToList();
        var lastPassed = drills.FirstOrDefault(r => r.Succeeded);
        DateTimeOffset? newest = newestWal is { } wal && (newestSet is null || wal > newestSet) ? wal : newestSet;
        var failing = drills.Count > 0 && !drills[0].Succeeded || lastPassed is null || now - lastPassed.FinishedAt > verifyMaxAge;
        return
        [
            Seconds(Rpo, newest, "nothing archived and no base backup yet"),
            Seconds(Age, newestSet, "no base backup yet"),
            Seconds(FullVerifyAge, lastPassed?.FinishedAt, drills.Count == 0 ? "no restore drill yet" : "no restore drill has passed"),
            new SignalPoint(component, VerifyFailing, now, failing ? 1 : 0),
        ];

        SignalPoint Seconds(string name, DateTimeOffset? since, string none) =>
            since is { } at
                ? new SignalPoint(component, name, now, Math.Round(Math.Max(0, (now - at).TotalSeconds), 3))
                : new SignalPoint(component, name, now, null, none);
    }

}
