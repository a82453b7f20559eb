using Rewind.Core.Runbooks;
using Rewind.Runtime.Releases;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Releases;

/// <summary>
/// A files restore touches only the declared paths: tampered manifests are refused before anything changes, links are
/// never written through, and a healthy copy with links still restores exactly. Real files and links in a temp directory.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ConfigFileCopiesContainmentTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    public ConfigFileCopiesContainmentTests()
    {
        Write(Path.Combine(Outside, "victim.txt"), "someone else's\n");
        Write(Path.Combine(Outside, "keep", "k.txt"), "keep me\n");
        Write(Env, "MODE=v1\n");
        Write(Path.Combine(ConfD, "a.conf"), "a v1\n");
    }

    private string Conf => _temp.Combine("conf");

    private string Env => Path.Combine(Conf, "app.env");

    private string ConfD => Path.Combine(Conf, "conf.d");

    private string Optional => Path.Combine(Conf, "optional");

    private string Outside => _temp.Combine("outside");

    private string Store => _temp.Combine("copies");

    private string Copy => FilesLayout.Release(Store, "v1");

    private string[] Paths => [Env, ConfD, Optional];

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("climbs out of a declared directory")]
    [InlineData("absolute path outside the declared paths")]
    [InlineData("absent entry for a path not declared")]
    [InlineData("directory entry emptying a directory not declared")]
    [InlineData("directory entry beneath a declared directory")]
    [InlineData("file beneath a link of the same copy")]
    [InlineData("copy kept at an absolute path")]
    [InlineData("copy kept above the copy's directory")]
    [InlineData("path listed twice, differently")]
    public void Restore_TamperedManifest_IsRefusedAsCorruptNamingTheEntry_AndNothingChangesInsideOrOutside(string tampering)
    {
        ConfigFileCopies.Take(Paths, Copy, "v1", T0);
        Write(Env, "MODE=v2\n");
        var (entry, problem) = Tamper(tampering);
        var (inside, outside) = (TreeSnapshot.Of(Conf), TreeSnapshot.Of(Outside));

        var result = ConfigFileCopies.Restore(Copy, Paths, FilesRestoreStep.UndoDirectory(Store, "RB-1"), "RB-1", T0);

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"the stored copy in {Copy} is corrupt: the entry '{entry}' {problem}; a restore touches only the declared paths; nothing was changed");
        TreeSnapshot.Of(Conf).ShouldBe(inside);
        TreeSnapshot.Of(Outside).ShouldBe(outside);
        Directory.Exists(FilesRestoreStep.UndoDirectory(Store, "RB-1")).ShouldBeFalse();
    }

    [Fact]
    public void Restore_LinkNowOnTheWayToAnEntry_IsRefused_AndNothingIsWrittenThroughIt()
    {
        Write(Path.Combine(ConfD, "sub", "x.conf"), "x v1\n");
        ConfigFileCopies.Take(Paths, Copy, "v1", T0);
        Directory.Delete(Path.Combine(ConfD, "sub"), recursive: true);
        File.CreateSymbolicLink(Path.Combine(ConfD, "sub"), Outside);
        var (inside, outside) = (TreeSnapshot.Of(Conf), TreeSnapshot.Of(Outside));

        var result = ConfigFileCopies.Restore(Copy, Paths, FilesRestoreStep.UndoDirectory(Store, "RB-2"), "RB-2", T0);

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe(
            $"the stored copy in {Copy} cannot be restored: the entry '{ConfD}/sub/x.conf' lies beneath the symbolic link 'sub' (to {Outside}); "
            + "a restore never writes through a symbolic link; nothing was changed");
        TreeSnapshot.Of(Conf).ShouldBe(inside);
        TreeSnapshot.Of(Outside).ShouldBe(outside);
    }

    [Fact]
    public void Restore_HealthyCopyWithLinks_RestoresExactly_NeverFollowsALink_AndTheUndoCopyPutsEveryChangeBack()
    {
        File.CreateSymbolicLink(Path.Combine(ConfD, "current"), "a.conf");
        File.CreateSymbolicLink(Path.Combine(ConfD, "shared"), Outside);
        ConfigFileCopies.Take(Paths, Copy, "v1", T0);
        var released = TreeSnapshot.Of(Conf);
        Write(Env, "MODE=v2\n");
        Write(Path.Combine(ConfD, "a.conf"), "a v2\n");
        Write(Path.Combine(ConfD, "extra.conf"), "extra v2\n");
        File.Delete(Path.Combine(ConfD, "current"));
        Write(Path.Combine(Optional, "o.conf"), "o v2\n");
        File.CreateSymbolicLink(Path.Combine(Optional, "away"), Outside);
        var before = TreeSnapshot.Of(Conf);
        var outside = TreeSnapshot.Of(Outside);

        var result = ConfigFileCopies.Restore(Copy, Paths, FilesRestoreStep.UndoDirectory(Store, "RB-3"), "RB-3", T0);

        result.Succeeded.ShouldBeTrue(result.Message);
        result.Message.ShouldBe($"restored 2 file(s) and 2 link(s) of v1 from {Copy}: 3 replaced, 1 unchanged, 3 removed; the previous files (4) are kept in {Store}/undo/RB-3");
        TreeSnapshot.Of(Conf).ShouldBe(released);
        TreeSnapshot.Of(Outside).ShouldBe(outside);
        FileCopyManifest.Read(Copy)!.Links.Select(l => (l.Path, l.Target)).ShouldBe([(Path.Combine(ConfD, "current"), "a.conf"), (Path.Combine(ConfD, "shared"), Outside)]);

        var undone = ConfigFileCopies.Restore(FilesRestoreStep.UndoDirectory(Store, "RB-3"), Paths, FilesRestoreStep.UndoDirectory(Store, "undo-of-RB-3"), "undo", T0);
        undone.Succeeded.ShouldBeTrue(undone.Message);
        TreeSnapshot.Of(Conf).ShouldBe(before);
        TreeSnapshot.Of(Outside).ShouldBe(outside);
    }

    [Fact]
    public void Restore_OverlappingDeclaredPaths_RestoresTheFileHeldTwiceWithoutRemovingIt()
    {
        var a = Path.Combine(ConfD, "a.conf");
        string[] paths = [ConfD, a];
        ConfigFileCopies.Take(paths, Copy, "v1", T0);
        Write(a, "a v2\n");

        var result = ConfigFileCopies.Restore(Copy, paths, FilesRestoreStep.UndoDirectory(Store, "RB-4"), "RB-4", T0);

        result.Succeeded.ShouldBeTrue(result.Message);
        (result.Replaced, result.Unchanged, result.Removed).ShouldBe((1, 1, 0));
        File.ReadAllText(a).ShouldBe("a v1\n");
    }

    /// <summary>Rewrites the manifest of v1 as a tamperer would (checksums still matching); returns the entry and the problem expected.</summary>
    private (string Entry, string Problem) Tamper(string tampering)
    {
        var manifest = FileCopyManifest.Read(Copy)!;
        var entries = manifest.Entries.ToList();
        var env = entries.Single(e => e.Path == Env);
        var victim = Path.Combine(Outside, "victim.txt");
        (FileCopyEntry[] Added, string Entry, string Problem) change = tampering switch
        {
            "climbs out of a declared directory" => ([env with { Path = $"{ConfD}/../../outside/written" }], $"{ConfD}/../../outside/written", "climbs out with '..'"),
            "absolute path outside the declared paths" => ([env with { Path = Path.Combine(Outside, "written") }], Path.Combine(Outside, "written"), "is neither one of the declared paths nor beneath a declared directory"),
            "absent entry for a path not declared" => ([new FileCopyEntry(victim, FileCopyEntry.Absent)], victim, "is neither one of the declared paths nor beneath a declared directory"),
            "directory entry emptying a directory not declared" => ([new FileCopyEntry(Outside, FileCopyEntry.Directory)], Outside, "is neither one of the declared paths nor beneath a declared directory"),
            "directory entry beneath a declared directory" => ([new FileCopyEntry(Path.Combine(ConfD, "sub"), FileCopyEntry.Directory)], Path.Combine(ConfD, "sub"), "is a directory entry where only a file or link can be"),
            "file beneath a link of the same copy" => (
                [new FileCopyEntry(Path.Combine(ConfD, "d"), FileCopyEntry.Link, Target: Outside), env with { Path = Path.Combine(ConfD, "d", "written") }],
                Path.Combine(ConfD, "d", "written"),
                $"lies beneath '{ConfD}/d', a link of the same copy"),
            "copy kept at an absolute path" => ([], Env, $"keeps its copy at '{victim}', which is absolute"),
            "copy kept above the copy's directory" => ([], Env, "keeps its copy at '../../../outside/victim.txt', which climbs out with '..'"),
            "path listed twice, differently" => ([env with { Mode = 0b111_111_111 }], Env, "is listed twice, differently"),
            _ => throw new ArgumentOutOfRangeException(nameof(tampering)),
        };
        if (tampering.StartsWith("copy kept", StringComparison.Ordinal))
        {
            var copy = tampering.Contains("absolute", StringComparison.Ordinal) ? victim : "../../../outside/victim.txt";
            entries[entries.IndexOf(env)] = env with { Copy = copy, Size = 15, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(victim))) };
        }

        (manifest with { Entries = [.. entries, .. change.Added] }).Write(Copy);
        return (change.Entry, change.Problem);
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
