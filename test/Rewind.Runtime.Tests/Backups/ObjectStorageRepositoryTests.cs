using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// What only object storage needs: the manifest (or WAL entry) as the commit point. Objects a killed upload left without
/// one are in no listing, are never taken for a set, and go with expiry once older than the safe age; a set is removed
/// manifest first.
/// </summary>
public sealed class ObjectStorageRepositoryTests : IAsyncLifetime
{
    private const string KilledSet = "20261122T030000000Z";
    private const string KilledSegment = "000000010000000000000009";

    private readonly TempDirectory _directory = new();
    private BucketStore _store = null!;
    private string _location = "";

    public async Task InitializeAsync()
    {
        _store = (BucketStore)await RepositoryStore.InBucketAsync();
        _location = _store.Location("repo");
        await File.WriteAllTextAsync(_directory.Combine("app.env"), "A=1\n");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Listings_ObjectsOfAKilledUpload_AreInNone_AndVerificationIgnoresThem()
    {
        var repository = _store.Repository(_location);
        var published = await PublishFileSetAsync(repository);
        await LeaveKilledUploadsAsync();

        (await repository.ListSetsAsync()).ShouldBeEmpty();
        (await repository.ListFileSetsAsync()).Select(s => s.SetId).ShouldBe([published]);
        (await repository.ListDumpsAsync()).ShouldBeEmpty();
        (await repository.ListWalAsync()).ShouldBeEmpty();
        (await repository.NewestSetFinishedAsync()).ShouldBeNull();
        var report = await new BackupVerifier(repository).VerifyAsync(new VerificationRequest { RequireBaseBackup = false });
        report.Findings.ShouldBeEmpty();
        report.FileSetsChecked.ShouldBe([published]);
    }

    [Fact]
    public async Task ExpireAsync_ObjectsOfAKilledUpload_StayWhileYoung_AndGoOnceOlderThanTheSafeAge()
    {
        var repository = _store.Repository(_location);
        var published = await PublishFileSetAsync(repository);
        await LeaveKilledUploadsAsync();
        var killed = await _store.KeysAsync(_location, "");

        var young = await new BackupExpiry(repository, new FakeTimeProvider(TimeProvider.System.GetUtcNow())).ExpireAsync(count: 5, age: TimeSpan.FromDays(30));
        var keptWhileYoung = await _store.KeysAsync(_location, "");
        var old = await new BackupExpiry(repository, new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(2))).ExpireAsync(count: 5, age: TimeSpan.FromDays(30));

        young.Leftovers.ShouldBeEmpty();
        keptWhileYoung.ShouldBe(killed);
        old.Leftovers.ShouldBe([$"dumps/{KilledSet}", $"sets/{KilledSet}", $"wal/00000001/{KilledSegment}.gz"]);
        (await _store.KeysAsync(_location, "")).ShouldAllBe(key => key.StartsWith($"files/{published}/", StringComparison.Ordinal));
        (await repository.ListFileSetsAsync()).Select(s => s.SetId).ShouldBe([published]);
    }

    [Fact]
    public async Task RemoveSet_RemovesTheManifestThenEveryObject()
    {
        var repository = _store.Repository(_location);
        var published = await PublishFileSetAsync(repository);

        repository.RemoveSet(SetKind.Files, published).ShouldBeTrue();

        (await _store.KeysAsync(_location, "")).ShouldBeEmpty();
        repository.RemoveSet(SetKind.Files, published).ShouldBeFalse();
    }

    [Fact]
    public async Task RemoveSet_KilledAfterDeletingTheManifest_LeavesObjectsNoListingShows_WhichExpiryRemoves()
    {
        var repository = _store.Repository(_location);
        var published = await PublishFileSetAsync(repository);

        await _store.DeleteAsync(_location, $"files/{published}/manifest.json"); // the first step of a removal, then killed

        (await repository.ListFileSetsAsync()).ShouldBeEmpty();
        repository.RemoveSet(SetKind.Files, published).ShouldBeFalse();
        var expired = await new BackupExpiry(repository, new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(2))).ExpireAsync(count: 5, age: TimeSpan.FromDays(30));
        expired.Leftovers.ShouldBe([$"files/{published}"]);
        (await _store.KeysAsync(_location, "")).ShouldBeEmpty();
    }

    [Fact]
    public async Task PushAsync_ObjectWithoutItsEntry_IsNotArchived_AndARePushReplacesIt()
    {
        var repository = _store.Repository(_location);
        await LeaveKilledUploadsAsync();
        var segment = _directory.Combine("segment");
        await File.WriteAllBytesAsync(segment, RandomNumberGenerator.GetBytes(64 * 1024));

        var fetchedBefore = await new WalArchive(repository).FetchAsync(KilledSegment, _directory.Combine("before"));
        var pushed = await new WalArchive(repository).PushAsync(segment, KilledSegment);
        var fetched = await new WalArchive(repository).FetchAsync(KilledSegment, _directory.Combine("fetched"));

        fetchedBefore.Outcome.ShouldBe(WalFetchOutcome.NotFound);
        pushed.Outcome.ShouldBe(WalPushOutcome.Archived);
        fetched.Outcome.ShouldBe(WalFetchOutcome.Fetched);
        (await File.ReadAllBytesAsync(_directory.Combine("fetched"))).ShouldBe(await File.ReadAllBytesAsync(segment));
    }

    [Fact]
    public async Task StoredFile_LargerThanAPart_GoesUpInPartsAndComesBackWhole()
    {
        var repository = _store.Repository(_location);
        var large = _directory.Combine("large.bin");
        await File.WriteAllBytesAsync(large, RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 5));

        var backup = await new FileBackup(repository).RunAsync(new FileBackupRequest([large]));
        var restore = await new FileRestore(repository).RestoreAsync(new FileRestoreRequest(_directory.Combine("restored")));

        backup.Succeeded.ShouldBeTrue(backup.Message);
        restore.Succeeded.ShouldBeTrue(restore.Message);
        (await File.ReadAllBytesAsync(_directory.Combine("restored", large.TrimStart('/')))).ShouldBe(await File.ReadAllBytesAsync(large));
    }

    [Fact]
    public void Options_NeverShowTheSecretKey()
    {
        var options = _store.Options(_location);

        options.ToString().ShouldNotContain(_store.Bucket.SecretKey);
        options.ObjectStorage!.ToString().ShouldBe($"endpoint {_store.Bucket.Endpoint}, region us-east-1");
    }

    private async Task<string> PublishFileSetAsync(BackupRepository repository)
    {
        var backup = await new FileBackup(repository).RunAsync(new FileBackupRequest([_directory.Combine("app.env")]));
        backup.Succeeded.ShouldBeTrue(backup.Message);
        return backup.Manifest!.SetId;
    }

    /// <summary>What uploads killed before their commit point leave: a base backup's and a dump's objects without a manifest, a WAL object without its entry.</summary>
    private async Task LeaveKilledUploadsAsync()
    {
        var bytes = Encoding.UTF8.GetBytes("half a backup");
        await _store.WriteAsync(_location, $"sets/{KilledSet}/pg_data/PG_VERSION.gz", bytes);
        await _store.WriteAsync(_location, $"sets/{KilledSet}/pg_data/base/1/1259.gz", bytes);
        await _store.WriteAsync(_location, $"dumps/{KilledSet}/shop.dump.gz", bytes);
        await _store.WriteAsync(_location, $"wal/00000001/{KilledSegment}.gz", bytes);
    }
}
