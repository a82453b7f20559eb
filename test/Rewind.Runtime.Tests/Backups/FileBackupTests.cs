using System.Diagnostics;
using System.Security.Cryptography;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>File backups and restores with the repository in a directory and in object storage.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public abstract class FileBackupTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"rewind-files-{Guid.NewGuid():N}");
    private readonly BackupKey _key = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(BackupKey.Length));
    private RepositoryStore _store = null!;
    private string _repository = "";

    protected FileBackupTests()
    {
        var uploads = Path.Combine(_root, "srv", "uploads");
        Directory.CreateDirectory(Path.Combine(uploads, "nested", "deep"));
        Directory.CreateDirectory(Path.Combine(uploads, "empty"));
        File.WriteAllText(Path.Combine(uploads, "a.txt"), "hello\n");
        File.WriteAllBytes(Path.Combine(uploads, "nested", "deep", "b.bin"), RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17));
        File.WriteAllBytes(Path.Combine(uploads, "zero"), []);
        File.CreateSymbolicLink(Path.Combine(uploads, "latest"), "nested/deep/b.bin");
        File.CreateSymbolicLink(Path.Combine(uploads, "outside"), "/etc/hostname");
        File.SetUnixFileMode(Path.Combine(uploads, "a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetUnixFileMode(Path.Combine(uploads, "nested", "deep", "b.bin"), UnixFileMode.UserRead);
        File.SetUnixFileMode(Path.Combine(uploads, "empty"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
        File.SetLastWriteTimeUtc(Path.Combine(uploads, "a.txt"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        File.WriteAllText(Path.Combine(_root, "app.env"), "SECRET=1\n");
    }

    protected string Uploads => Path.Combine(_root, "srv", "uploads");

    private string AppEnv => Path.Combine(_root, "app.env");

    [Theory]
    [InlineData(StoredCompression.Gzip, true)]
    [InlineData(StoredCompression.Gzip, false)]
    [InlineData(StoredCompression.None, true)]
    [InlineData(StoredCompression.None, false)]
    public async Task RunAsync_ThenRestoreAsync_EveryFileLinkAndModeComesBackByteForByte(StoredCompression compression, bool encrypted)
    {
        var repository = Repository(compression, encrypted ? _key : null);

        var backup = await new FileBackup(repository).RunAsync(new FileBackupRequest([Uploads, AppEnv]));
        var restore = await new FileRestore(repository).RestoreAsync(new FileRestoreRequest(Path.Combine(_root, "restored")));

        backup.Succeeded.ShouldBeTrue(backup.Message);
        backup.Skipped.ShouldBeEmpty();
        backup.Manifest!.Links.ShouldBe([new ManifestLink(Relative(Uploads) + "/latest", "nested/deep/b.bin"), new ManifestLink(Relative(Uploads) + "/outside", "/etc/hostname")], ignoreOrder: true);
        backup.Manifest.KeyId.ShouldBe(encrypted ? _key.Id : null);
        restore.Succeeded.ShouldBeTrue(restore.Message);
        ShouldBeCopy(Uploads, Path.Combine(_root, "restored", Relative(Uploads)));
        ShouldBeCopy(AppEnv, Path.Combine(_root, "restored", Relative(AppEnv)));
        File.GetLastWriteTimeUtc(Path.Combine(_root, "restored", Relative(Uploads), "a.txt")).ShouldBe(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Directory.GetFileSystemEntries(repository.WorkDirectory).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_Fifo_LeftOutAndReported()
    {
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(Uploads, "pipe")))
        {
            await mkfifo.WaitForExitAsync();
        }

        var result = await new FileBackup(Repository(StoredCompression.Gzip, null)).RunAsync(new FileBackupRequest([Uploads]));

        result.Succeeded.ShouldBeTrue(result.Message);
        result.Skipped.ShouldBe([Relative(Uploads) + "/pipe: not a regular file, directory or link"]);
        result.Manifest!.Files.Count.ShouldBe(3);
    }

    [Fact]
    public async Task RestoreAsync_DestinationNotEmpty_RefusedAndUntouched()
    {
        var repository = Repository(StoredCompression.Gzip, _key);
        (await new FileBackup(repository).RunAsync(new FileBackupRequest([Uploads]))).Succeeded.ShouldBeTrue();

        var result = await new FileRestore(repository).RestoreAsync(new FileRestoreRequest(Uploads));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"{Uploads} exists and is not an empty directory: files are restored only into a new or empty directory, never over live files");
        Directory.GetFileSystemEntries(Uploads).Length.ShouldBe(6);
    }

    [Fact]
    public async Task RestoreAsync_FlippedByteInAStoredFile_FailsAndLeavesNoDestination()
    {
        var repository = Repository(StoredCompression.Gzip, _key);
        var set = (await new FileBackup(repository).RunAsync(new FileBackupRequest([Uploads]))).Manifest!;
        var stored = $"files/{set.SetId}/data/{Relative(Uploads)}/nested/deep/b.bin.gz.enc";
        var bytes = (await _store.ReadAsync(_repository, stored)).ShouldNotBeNull();
        bytes[bytes.Length - 20] ^= 0x40;
        await _store.WriteAsync(_repository, stored, bytes);

        var result = await new FileRestore(repository).RestoreAsync(new FileRestoreRequest(Path.Combine(_root, "restored")));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldStartWith($"file set {set.SetId}/{Relative(Uploads)}/nested/deep/b.bin: chunk 3 failed authentication");
        Directory.Exists(Path.Combine(_root, "restored")).ShouldBeFalse();
        Directory.GetFileSystemEntries(_root).ShouldNotContain(path => Path.GetFileName(path).StartsWith(".restored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestoreAsync_WrongKey_FailsSayingSo()
    {
        var repository = Repository(StoredCompression.Gzip, _key);
        var set = (await new FileBackup(repository).RunAsync(new FileBackupRequest([AppEnv]))).Manifest!;
        var other = BackupKey.FromBytes(new byte[BackupKey.Length]);

        var result = await new FileRestore(new BackupRepository(repository.Options with { Key = other })).RestoreAsync(new FileRestoreRequest(Path.Combine(_root, "restored")));

        result.Message.ShouldBe($"file set {set.SetId} is encrypted with key {_key.Id}, but the given key is {other.Id}: wrong key");
    }

    [Fact]
    public async Task Repository_ListsAndRemovesSetsOfEachKind()
    {
        var repository = Repository(StoredCompression.Gzip, null);
        var first = (await new FileBackup(repository).RunAsync(new FileBackupRequest([AppEnv]))).Manifest!;
        await Eventually.PastAsync(TimeProvider.System.GetUtcNow().AddMilliseconds(5), "a later set id");
        var second = (await new FileBackup(repository).RunAsync(new FileBackupRequest([Uploads]))).Manifest!;

        var listed = await repository.ListStoredSetsAsync(SetKind.Files);
        var removed = repository.RemoveSet(SetKind.Files, first.SetId);

        listed.ShouldBe([new StoredSet(SetKind.Files, first.SetId, first.Finished, 9, first.TotalStoredSize), new StoredSet(SetKind.Files, second.SetId, second.Finished, second.TotalSize, second.TotalStoredSize)]);
        removed.ShouldBeTrue();
        (await repository.ListStoredSetsAsync(SetKind.Files)).Select(s => s.SetId).ShouldBe([second.SetId]);
        repository.RemoveSet(SetKind.Files, first.SetId).ShouldBeFalse();
        (await _store.KeysAsync(_repository, $"files/{first.SetId}/")).ShouldBeEmpty();
        (await _store.KeysAsync(_repository, "trash/")).ShouldBeEmpty();
        (await repository.ListStoredSetsAsync(SetKind.Dump)).ShouldBeEmpty();
    }

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync(_root);
        _repository = _store.Location("repo");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    protected abstract Task<RepositoryStore> CreateStoreAsync(string root);

    private static string Relative(string path) => path.TrimStart('/');

    private BackupRepository Repository(StoredCompression compression, BackupKey? key) =>
        new(_store.Options(_repository) with { Compression = compression, Key = key });

    private static void ShouldBeCopy(string source, string copy)
    {
        var original = new FileInfo(source);
        if (original.LinkTarget is { } target)
        {
            new FileInfo(copy).LinkTarget.ShouldBe(target, copy);
        }
        else if (Directory.Exists(source))
        {
            File.GetUnixFileMode(copy).ShouldBe(File.GetUnixFileMode(source), copy);
            Directory.GetFileSystemEntries(copy).Select(Path.GetFileName).Order(StringComparer.Ordinal)
                .ShouldBe(Directory.GetFileSystemEntries(source).Select(Path.GetFileName).Order(StringComparer.Ordinal), copy);
            foreach (var entry in Directory.GetFileSystemEntries(source))
            {
                ShouldBeCopy(entry, Path.Combine(copy, Path.GetFileName(entry)));
            }
        }
        else
        {
            File.GetUnixFileMode(copy).ShouldBe(original.UnixFileMode, copy);
            File.ReadAllBytes(copy).ShouldBe(File.ReadAllBytes(source), copy);
        }
    }

    public sealed class InDirectory : FileBackupTests
    {
        [Fact]
        public async Task RunAsync_RepositoryInsideADeclaredPath_Refused()
        {
            var repository = new BackupRepository(new BackupRepositoryOptions(Path.Combine(Uploads, "backups")));

            var result = await new FileBackup(repository).RunAsync(new FileBackupRequest([Uploads]));

            result.Succeeded.ShouldBeFalse();
            result.Message.ShouldBe($"{Uploads} and the repository {repository.Root} overlap: a backup would copy itself; keep the repository outside every backed-up path");
            Directory.Exists(repository.Root).ShouldBeFalse();
        }

        protected override Task<RepositoryStore> CreateStoreAsync(string root) => RepositoryStore.InDirectoryAsync(root);
    }

    public sealed class InObjectStorage : FileBackupTests
    {
        protected override Task<RepositoryStore> CreateStoreAsync(string root) => RepositoryStore.InBucketAsync();
    }
}
