using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>Run against a repository in a directory and in object storage (<see cref="BackupScenario"/>).</summary>
public abstract class RestoreDrillTests(BackupScenario scenario)
{
    [Fact]
    public async Task RunAsync_IntactRepository_RestoresMeasuresAndRemovesTheScratchCopy()
    {
        var scratch = Path.Combine(scenario.Root, "drill-" + Guid.NewGuid().ToString("N")[..8]);
        var restore = new PointInTimeRestore(scenario.Repository(), BackupScenario.Tools);

        var drill = await new RestoreDrill(restore).RunAsync(new RestoreDrillRequest(scratch, scenario.FetchCommand())
        {
            VerificationQueries = ["select count(*) = 400 from item"],
        });

        drill.Succeeded.ShouldBeTrue(drill.Restore.Message + "\n" + drill.Restore.ServerLog);
        drill.Restore.Checks.ShouldHaveSingleItem().Passed.ShouldBeTrue();
        drill.RecoveryTime.ShouldBeGreaterThan(TimeSpan.Zero);
        drill.DataLoss.ShouldNotBeNull();
        drill.DataLoss.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        Directory.GetFileSystemEntries(scratch).ShouldBeEmpty();
    }

    [Collection(BackupScenarioGroup.Name)]
    public sealed class InDirectory(DirectoryBackupScenario scenario) : RestoreDrillTests(scenario);

    [Collection(ObjectStorageBackupScenarioGroup.Name)]
    public sealed class InObjectStorage(ObjectStorageBackupScenario scenario) : RestoreDrillTests(scenario);
}
