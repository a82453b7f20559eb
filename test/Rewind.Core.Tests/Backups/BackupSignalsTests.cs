using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class BackupSignalsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Measure_RpoIsTheNewerOfWalAndBackup_AgesInSeconds_PassingDrillWithinMaxAge()
    {
        BackupRun[] runs = [Drill(-3, succeeded: true), Drill(-5, succeeded: false), new("db", BackupRun.Verify, Now, Now, false, "x")];

        var points = BackupSignals.Measure("db", Now, Now.AddSeconds(-42), Now.AddHours(-2), runs, TimeSpan.FromDays(7));

        points.Select(p => (p.Signal, p.Value)).ShouldBe([
            (BackupSignals.Rpo, 42d),
            (BackupSignals.Age, 7200d),
            (BackupSignals.FullVerifyAge, 3 * 86400d),
            (BackupSignals.VerifyFailing, 0d),
        ]);
        points.ShouldAllBe(p => p.Component == "db" && p.At == Now);
    }

    [Fact]
    public void Measure_NewestDrillFailed_IsFailingThoughAnOlderOnePassed()
    {
        var points = BackupSignals.Measure("db", Now, Now, Now, [Drill(-1, succeeded: false), Drill(-2, succeeded: true)], TimeSpan.FromDays(7));

        points.Single(p => p.Signal == BackupSignals.VerifyFailing).Value.ShouldBe(1);
        points.Single(p => p.Signal == BackupSignals.FullVerifyAge).Value.ShouldBe(2 * 86400d);
    }

    [Fact]
    public void Measure_LastPassingDrillOlderThanMaxAge_IsFailing()
    {
        var points = BackupSignals.Measure("db", Now, Now, Now, [Drill(-8, succeeded: true)], TimeSpan.FromDays(7));

        points.Single(p => p.Signal == BackupSignals.VerifyFailing).Value.ShouldBe(1);
    }

    [Fact]
    public void Measure_NothingYet_IsNoDataWithTheReason_AndFailingVerification()
    {
        var points = BackupSignals.Measure("db", Now, null, null, [], TimeSpan.FromDays(7));

        points.Select(p => (p.Signal, p.Value, p.Error)).ShouldBe([
            (BackupSignals.Rpo, null, "nothing archived and no base backup yet"),
            (BackupSignals.Age, null, "no base backup yet"),
            (BackupSignals.FullVerifyAge, null, "no restore drill yet"),
            (BackupSignals.VerifyFailing, 1d, null),
        ]);
    }

    private static BackupRun Drill(int days, bool succeeded) => new("db", BackupRun.Drill, Now.AddDays(days).AddMinutes(-1), Now.AddDays(days), succeeded, "drill");
}
