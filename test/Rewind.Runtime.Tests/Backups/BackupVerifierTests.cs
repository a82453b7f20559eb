using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>Run against a repository in a directory and in object storage (<see cref="BackupScenario"/>).</summary>
public abstract class BackupVerifierTests(BackupScenario scenario)
{
    [Fact]
    public async Task VerifyAsync_IntactRepository_PassesHavingReadEveryFile()
    {
        var report = await new BackupVerifier(scenario.Repository()).VerifyAsync();

        report.Findings.ShouldBeEmpty();
        report.Passed.ShouldBeTrue();
        report.SetsChecked.ShouldBe([scenario.Set.SetId]);
        report.FilesChecked.ShouldBe(scenario.Set.Files.Count);
        report.WalFilesChecked.ShouldBeGreaterThanOrEqualTo(scenario.BatchSegments.Count + 2);
        report.WalGaps.ShouldBeEmpty();
        report.NewestBackupAge.ShouldNotBeNull();
    }

    [Fact]
    public async Task VerifyAsync_FlippedByteInAStoredFile_ReportsThatFile()
    {
        var repository = await scenario.CopyRepositoryAsync();
        var victim = scenario.Set.Files.First(file => file.Path.StartsWith("base/", StringComparison.Ordinal) && file.Size > 8192);
        var stored = $"sets/{scenario.Set.SetId}/pg_data/{victim.Path}.gz.enc";
        var bytes = (await scenario.Store.ReadAsync(repository, stored)).ShouldNotBeNull();
        bytes[bytes.Length / 2] ^= 0x01;
        await scenario.Store.WriteAsync(repository, stored, bytes);

        var report = await new BackupVerifier(scenario.Repository(repository)).VerifyAsync();

        report.Passed.ShouldBeFalse();
        var finding = report.Findings.ShouldHaveSingleItem();
        finding.Subject.ShouldBe($"{scenario.Set.SetId}/{victim.Path}");
        finding.Message.ShouldBe("chunk 0 failed authentication: the file is corrupt, truncated or was tampered with");
    }

    [Fact]
    public async Task VerifyAsync_MissingSegments_ReportsTheGapExactly()
    {
        var repository = await scenario.CopyRepositoryAsync();
        foreach (var segment in scenario.BatchSegments.Take(2))
        {
            await scenario.Store.DeleteAsync(repository, $"wal/00000001/{segment}.json");
        }

        var report = await new BackupVerifier(scenario.Repository(repository)).VerifyAsync();

        report.Passed.ShouldBeFalse();
        var gap = report.WalGaps.ShouldHaveSingleItem();
        gap.ToString().ShouldBe($"missing {scenario.BatchSegments[0]}..{scenario.BatchSegments[1]}");
        report.Findings.ShouldHaveSingleItem().ToString()
            .ShouldBe($"error: wal/00000001: missing {scenario.BatchSegments[0]}..{scenario.BatchSegments[1]}: recovery cannot replay past {scenario.BatchSegments[0]}");
    }

    [Fact]
    public async Task VerifyAsync_WrongKey_ReportsWrongKeyNotCorruption()
    {
        var other = BackupKey.FromBytes(Enumerable.Repeat((byte)7, BackupKey.Length).ToArray());

        var report = await new BackupVerifier(scenario.Repository(key: other)).VerifyAsync();

        report.Passed.ShouldBeFalse();
        report.Findings.ShouldAllBe(finding => finding.Message.EndsWith("wrong key", StringComparison.Ordinal));
        report.Findings.ShouldContain(finding => finding.Subject == scenario.Set.SetId
            && finding.Message == $"encrypted with key {scenario.Key.Id}, but the given key is {other.Id}: wrong key");
        report.FilesChecked.ShouldBe(0);
    }

    [Fact]
    public async Task VerifyAsync_OldBackupAndWal_ReportsBothAgeLimits()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(2));

        var report = await new BackupVerifier(scenario.Repository(), clock).VerifyAsync(new VerificationRequest
        {
            MaxBackupAge = TimeSpan.FromDays(1),
            MaxWalAge = TimeSpan.FromHours(1),
            CheckWalContent = false,
        });

        report.Findings.Select(finding => finding.Subject).ShouldBe(["sets", "wal"]);
        report.Findings[0].Message.ShouldStartWith("the newest backup is 48.");
        report.Findings[0].Message.ShouldEndWith(" h old; the limit is 24.0 h");
    }

    [Collection(BackupScenarioGroup.Name)]
    public sealed class InDirectory(DirectoryBackupScenario scenario) : BackupVerifierTests(scenario);

    [Collection(ObjectStorageBackupScenarioGroup.Name)]
    public sealed class InObjectStorage(ObjectStorageBackupScenario scenario) : BackupVerifierTests(scenario);
}
