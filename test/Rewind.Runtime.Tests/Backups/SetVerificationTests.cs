using Rewind.Core.Backups;
using Rewind.Runtime.Backups;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>Quick verification of dump sets and file sets beside (or without) base backups.</summary>
[Collection(DumpScenarioGroup.Name)]
public sealed class SetVerificationTests(DumpScenario scenario)
{
    [Fact]
    public async Task VerifyAsync_IntactDumpAndFileSet_PassesHavingReadBoth()
    {
        var (repository, dump, files) = await BackUpAsync(scenario.Key, StoredCompression.Gzip);

        var report = await new BackupVerifier(repository).VerifyAsync(new VerificationRequest { RequireBaseBackup = false });

        report.Findings.ShouldBeEmpty();
        report.DumpsChecked.ShouldBe([dump.SetId]);
        report.FileSetsChecked.ShouldBe([files.SetId]);
        report.FilesChecked.ShouldBe(dump.Files.Count + files.Files.Count);
        report.BytesChecked.ShouldBe(dump.TotalSize + files.TotalSize);
    }

    [Fact]
    public async Task VerifyAsync_NoBaseBackupWhenOneIsRequired_StillAnError()
    {
        var (repository, _, _) = await BackUpAsync(null, StoredCompression.None);

        var report = await new BackupVerifier(repository).VerifyAsync();

        report.Findings.Select(f => f.ToString()).ShouldBe([$"error: sets: no base backup in {repository.Root}"]);
    }

    [Fact]
    public async Task VerifyAsync_FlippedByteInADumpAndAFile_ReportsBoth()
    {
        var (repository, dump, files) = await BackUpAsync(null, StoredCompression.None);
        var database = dump.Databases.Single();
        await FlipAsync(Path.Combine(repository.Root, "dumps", dump.SetId, database + ".dump"));
        var victim = files.Files.Single(f => f.Path.EndsWith("/big", StringComparison.Ordinal));
        await FlipAsync(Path.Combine(repository.Root, "files", files.SetId, "data", victim.Path));

        var report = await new BackupVerifier(repository).VerifyAsync(new VerificationRequest { RequireBaseBackup = false });

        report.Passed.ShouldBeFalse();
        report.Findings.Select(f => f.Subject).ShouldBe([$"dumps/{dump.SetId}/{database}.dump", $"files/{files.SetId}/{victim.Path}"]);
        report.Findings.ShouldAllBe(f => f.Message.StartsWith("checksum mismatch: content is", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_OneDumpById_ChecksOnlyThatDumpWithoutBaseBackupFindings()
    {
        var (repository, dump, files) = await BackUpAsync(scenario.Key, StoredCompression.Gzip);
        await FlipAsync(Path.Combine(repository.Root, "files", files.SetId, "data", files.Files[0].Path + ".gz.enc"));

        var report = await new BackupVerifier(repository).VerifyAsync(new VerificationRequest { SetId = dump.SetId });

        report.Findings.ShouldBeEmpty();
        report.DumpsChecked.ShouldBe([dump.SetId]);
        (report.SetsChecked.Count, report.FileSetsChecked.Count).ShouldBe((0, 0));
    }

    [Fact]
    public async Task VerifyAsync_WrongKey_SaysSoForEachSet()
    {
        var (repository, dump, files) = await BackUpAsync(scenario.Key, StoredCompression.Gzip);
        var other = BackupKey.FromBytes(new byte[BackupKey.Length]);

        var report = await new BackupVerifier(new BackupRepository(repository.Options with { Key = other })).VerifyAsync(new VerificationRequest { RequireBaseBackup = false });

        report.Findings.Select(f => f.ToString()).ShouldBe([
            $"error: dumps/{dump.SetId}: encrypted with key {scenario.Key.Id}, but the given key is {other.Id}: wrong key",
            $"error: files/{files.SetId}: encrypted with key {scenario.Key.Id}, but the given key is {other.Id}: wrong key",
        ]);
    }

    private async Task<(BackupRepository Repository, DumpManifest Dump, FileSetManifest Files)> BackUpAsync(BackupKey? key, StoredCompression compression)
    {
        var repository = scenario.Repository(key, compression);
        var shop = await scenario.CreateShopAsync();
        var dump = await new LogicalDump(repository, DumpScenario.Tools).RunAsync(new LogicalDumpRequest(scenario.Url(), [shop]));
        var source = Path.Combine(scenario.Root, $"files-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        await File.WriteAllTextAsync(Path.Combine(source, "small"), "x");
        await File.WriteAllBytesAsync(Path.Combine(source, "sub", "big"), new byte[2 * 1024 * 1024 + 5]);
        var files = await new FileBackup(repository).RunAsync(new FileBackupRequest([source]));
        dump.Succeeded.ShouldBeTrue(dump.Message);
        files.Succeeded.ShouldBeTrue(files.Message);
        return (repository, dump.Manifest!, files.Manifest!);
    }

    private static async Task FlipAsync(string path)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);
    }
}
