using System.Security.Cryptography;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>The WAL archive of a repository in a directory and in object storage.</summary>
public abstract class WalArchiveTests : IAsyncLifetime
{
    private const string Segment = "000000010000000000000003";

    private readonly TempDirectory _directory = new();
    private readonly BackupKey _key = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(BackupKey.Length));
    private RepositoryStore _store = null!;
    private string _repository = "";
    private WalArchive _archive = null!;

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync(_directory.Path);
        _repository = _store.Location("repo");
        _archive = Archive(_key);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    protected abstract Task<RepositoryStore> CreateStoreAsync(string root);

    [Theory]
    [InlineData(Segment)]
    [InlineData("00000002.history")]
    [InlineData("000000010000000000000003.00000028.backup")]
    [InlineData("000000010000000000000003.partial")]
    public async Task FetchAsync_PushedFile_GivesBackTheSameBytes(string name)
    {
        var content = Source(RandomNumberGenerator.GetBytes(100_000));

        (await _archive.PushAsync(content, name)).Outcome.ShouldBe(WalPushOutcome.Archived);
        var fetched = await _archive.FetchAsync(name, _directory.Combine("fetched"));

        (fetched.Outcome, fetched.ExitCode).ShouldBe((WalFetchOutcome.Fetched, 0));
        File.ReadAllBytes(_directory.Combine("fetched")).ShouldBe(File.ReadAllBytes(content));
    }

    [Fact]
    public async Task PushAsync_StoresCompressedEncryptedWithAnEntry()
    {
        await _archive.PushAsync(Source(new byte[1024 * 1024]), Segment);

        var entry = (await _store.Repository(_repository).ListWalAsync()).ShouldHaveSingleItem();
        entry.Name.ShouldBe(Segment);
        entry.Size.ShouldBe(1024 * 1024);
        entry.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(new byte[1024 * 1024])));
        (entry.Compression, entry.Encrypted, entry.KeyId).ShouldBe((StoredCompression.Gzip, true, _key.Id));
        entry.StoredSize.ShouldBeLessThan(1024 * 1024 / 50);
        (await _store.ReadAsync(_repository, $"wal/00000001/{Segment}.gz.enc")).ShouldNotBeNull().LongLength.ShouldBe(entry.StoredSize);
        (await _store.KeysAsync(_repository, "wal/")).ShouldBe([$"wal/00000001/{Segment}.gz.enc", $"wal/00000001/{Segment}.json"]); // no temporaries left
    }

    [Fact]
    public async Task PushAsync_SameContentAgain_SucceedsAsAlreadyArchived()
    {
        var content = Source(RandomNumberGenerator.GetBytes(1000));
        await _archive.PushAsync(content, Segment);

        var again = await _archive.PushAsync(content, Segment);

        (again.Outcome, again.ExitCode).ShouldBe((WalPushOutcome.AlreadyArchived, 0));
    }

    [Fact]
    public async Task PushAsync_DifferentContentUnderAnArchivedName_FailsLoudlyAndKeepsTheArchivedCopy()
    {
        var first = Source(RandomNumberGenerator.GetBytes(1000));
        await _archive.PushAsync(first, Segment);

        var second = await _archive.PushAsync(Source(RandomNumberGenerator.GetBytes(1000), "other"), Segment);

        (second.Outcome, second.ExitCode).ShouldBe((WalPushOutcome.Conflict, 1));
        second.Message.ShouldContain("already archived with different content");
        await _archive.FetchAsync(Segment, _directory.Combine("fetched"));
        File.ReadAllBytes(_directory.Combine("fetched")).ShouldBe(File.ReadAllBytes(first));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("000000010000000000000003/..")]
    [InlineData("00000001000000000000000g")]
    [InlineData("00000000.history")]
    public async Task PushAsync_NotAWalFileName_IsRefused(string name)
    {
        (await _archive.PushAsync(Source([1]), name)).Outcome.ShouldBe(WalPushOutcome.InvalidName);
    }

    [Fact]
    public async Task FetchAsync_NotArchived_IsNotFoundWithExitCodeOne()
    {
        var fetched = await _archive.FetchAsync("00000002.history", _directory.Combine("fetched"));

        (fetched.Outcome, fetched.ExitCode).ShouldBe((WalFetchOutcome.NotFound, 1));
        File.Exists(_directory.Combine("fetched")).ShouldBeFalse();
    }

    [Fact]
    public async Task FetchAsync_CorruptStoredFile_IsAHardFailureAndWritesNothing()
    {
        await _archive.PushAsync(Source(RandomNumberGenerator.GetBytes(5000)), Segment);
        var stored = $"wal/00000001/{Segment}.gz.enc";
        var bytes = (await _store.ReadAsync(_repository, stored)).ShouldNotBeNull();
        bytes[^20] ^= 1;
        await _store.WriteAsync(_repository, stored, bytes);

        var fetched = await _archive.FetchAsync(Segment, _directory.Combine("fetched"));

        (fetched.Outcome, fetched.ExitCode).ShouldBe((WalFetchOutcome.Corrupt, WalFetchResult.HardFailureExitCode));
        Directory.GetFiles(_directory.Path).Select(Path.GetFileName).ShouldBe(["source"]);
    }

    [Fact]
    public async Task FetchAsync_WrongKey_IsAHardFailureNamingBothKeys()
    {
        await _archive.PushAsync(Source(RandomNumberGenerator.GetBytes(5000)), Segment);
        var other = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(BackupKey.Length));

        var fetched = await Archive(other).FetchAsync(Segment, _directory.Combine("fetched"));

        (fetched.Outcome, fetched.ExitCode).ShouldBe((WalFetchOutcome.WrongKey, 255));
        fetched.Message.ShouldBe($"{Segment}: encrypted with key {_key.Id}, but the given key is {other.Id}: wrong key");
    }

    private WalArchive Archive(BackupKey key) => new(_store.Repository(_repository, key));

    private string Source(byte[] content, string name = "source")
    {
        var path = _directory.Combine(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public sealed class InDirectory : WalArchiveTests
    {
        protected override Task<RepositoryStore> CreateStoreAsync(string root) => RepositoryStore.InDirectoryAsync(root);
    }

    public sealed class InObjectStorage : WalArchiveTests
    {
        protected override Task<RepositoryStore> CreateStoreAsync(string root) => RepositoryStore.InBucketAsync();
    }
}
