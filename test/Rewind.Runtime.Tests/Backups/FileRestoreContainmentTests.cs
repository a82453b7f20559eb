using System.Text.Json.Nodes;
using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>
/// A file restore writes only beneath its destination: tampered manifests are refused before anything is written, and
/// nothing outside changes. Real backups, real files and links in a temp directory.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileRestoreContainmentTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly BackupRepository _repository;

    public FileRestoreContainmentTests()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Source).FullName, "a.txt"), "a\n");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(Source, "sub")).FullName, "b.txt"), "b\n");
        File.CreateSymbolicLink(Path.Combine(Source, "out"), Elsewhere);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Elsewhere).FullName, "victim.txt"), "someone else's\n");
        _repository = new BackupRepository(new BackupRepositoryOptions(_temp.Combine("repo")) { Compression = StoredCompression.None });
    }

    private string Source => _temp.Combine("src");

    private string Elsewhere => _temp.Combine("elsewhere");

    private string Destination => _temp.Combine("restored");

    private string Relative => Source.TrimStart('/');

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RestoreAsync_HealthySet_RestoresExactly_AndALinkPointingOutsideComesBackAsThatLink()
    {
        await BackUpAsync();
        var outside = TreeSnapshot.Of(Elsewhere);

        var result = await new FileRestore(_repository).RestoreAsync(new FileRestoreRequest(Destination));

        result.Succeeded.ShouldBeTrue(result.Message);
        TreeSnapshot.Of(Path.Combine(Destination, Relative)).ShouldBe(TreeSnapshot.Of(Source));
        new FileInfo(Path.Combine(Destination, Relative, "out")).LinkTarget.ShouldBe(Elsewhere);
        TreeSnapshot.Of(Elsewhere).ShouldBe(outside);
    }

    [Theory]
    [InlineData("a link, then a file beneath it")]
    [InlineData("a link, then a link beneath it")]
    [InlineData("a path climbing out")]
    [InlineData("an absolute path")]
    [InlineData("a path listed twice")]
    public async Task RestoreAsync_TamperedManifest_IsRefusedAsCorruptNamingTheEntry_AndNothingIsWrittenAnywhere(string tampering)
    {
        var set = await BackUpAsync();
        var (entry, problem) = await TamperAsync(set, tampering);
        var outside = TreeSnapshot.Of(Elsewhere);

        var result = await new FileRestore(_repository).RestoreAsync(new FileRestoreRequest(Destination));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"file set {set.SetId} is corrupt: the entry '{entry}' {problem}; refused, nothing was restored");
        TreeSnapshot.Of(Elsewhere).ShouldBe(outside);
        Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["elsewhere", "repo", "src"]);
    }

    [Fact]
    public async Task RestoreAsync_StoredFileReplacedByALink_IsNotReadThroughIt_AndTheDestinationIsAsItWas()
    {
        var set = await BackUpAsync();
        var stored = Path.Combine(_repository.Root, "files", set.SetId, "data", Relative, "a.txt");
        File.Delete(stored);
        File.CreateSymbolicLink(stored, Path.Combine(Elsewhere, "victim.txt"));

        var result = await new FileRestore(_repository).RestoreAsync(new FileRestoreRequest(Destination));

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe(
            $"file set {set.SetId}/{Relative}/a.txt: the manifest entry '{Relative}/a.txt' is a symbolic link (to {Elsewhere}/victim.txt): "
            + $"it would leave {_repository.Root}/files/{set.SetId}/data; refused");
        Directory.Exists(Destination).ShouldBeFalse();
    }

    [Fact]
    public async Task VerifyAsync_ManifestPathClimbingOut_IsAnErrorFinding_AndIsNotRead()
    {
        var set = await BackUpAsync();
        var (entry, _) = await TamperAsync(set, "a path climbing out");

        var report = await new BackupVerifier(_repository).VerifyAsync(new VerificationRequest { RequireBaseBackup = false });

        report.Findings.Select(f => f.ToString()).ShouldBe([$"error: files/{set.SetId}/{entry}: the manifest entry climbs out with '..': the set is corrupt; not read"]);
        report.FilesChecked.ShouldBe(set.Files.Count);
    }

    private async Task<FileSetManifest> BackUpAsync()
    {
        var backup = await new FileBackup(_repository).RunAsync(new FileBackupRequest([Source]));
        backup.Succeeded.ShouldBeTrue(backup.Message);
        return backup.Manifest!;
    }

    /// <summary>Rewrites the set's manifest as a tamperer would, with stored files that pass their checksums; returns the entry and the problem expected.</summary>
    private async Task<(string Entry, string Problem)> TamperAsync(FileSetManifest set, string tampering)
    {
        var path = Path.Combine(_repository.Root, "files", set.SetId, "manifest.json");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        var files = manifest["files"]!.AsArray();
        var links = manifest["links"]!.AsArray();
        var a = files.Single(f => (string?)f!["path"] == $"{Relative}/a.txt")!;
        void AddFile(string entry)
        {
            var copy = a.DeepClone();
            copy["path"] = entry;
            files.Add(copy);
            var stored = Path.Combine(_repository.Root, "files", set.SetId, "data", entry.TrimStart('/'));
            if (!stored.Contains("..", StringComparison.Ordinal) && !stored.Contains("/d/", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
                File.Copy(Path.Combine(_repository.Root, "files", set.SetId, "data", Relative, "a.txt"), stored);
            }
        }

        void AddLink(string entry, string target) => links.Add(new JsonObject { ["path"] = entry, ["target"] = target });
        (string, string) result;
        switch (tampering)
        {
            case "a link, then a file beneath it":
                AddLink($"{Relative}/d", Elsewhere);
                AddFile($"{Relative}/d/file");
                result = ($"{Relative}/d/file", $"lies beneath '{Relative}/d', a link of the same set");
                break;
            case "a link, then a link beneath it":
                AddLink($"{Relative}/d", Elsewhere);
                AddLink($"{Relative}/d/evil", "/etc/passwd");
                result = ($"{Relative}/d/evil", $"lies beneath '{Relative}/d', a link of the same set");
                break;
            case "a path climbing out":
                AddFile($"{Relative}/../../elsewhere/written");
                result = ($"{Relative}/../../elsewhere/written", "climbs out with '..'");
                break;
            case "an absolute path":
                AddFile($"{Elsewhere}/written");
                result = ($"{Elsewhere}/written", "is absolute");
                break;
            case "a path listed twice":
                AddLink($"{Relative}/a.txt", Elsewhere);
                result = ($"{Relative}/a.txt", "is listed twice");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering));
        }

        await File.WriteAllTextAsync(path, manifest.ToJsonString());
        return result;
    }
}
