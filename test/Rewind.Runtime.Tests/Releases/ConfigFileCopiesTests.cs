using Rewind.Core.Runbooks;
using Rewind.Runtime.Releases;
using Rewind.Runtime.Runbooks;

namespace Rewind.Runtime.Tests.Releases;

/// <summary>Copies of configuration files on a real file system: taken, checked, restored with renames, undone.</summary>
public sealed class ConfigFileCopiesTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("rewind-files-").FullName;

    private string Env => Path.Combine(_root, "conf", "app.env");

    private string ConfD => Path.Combine(_root, "conf", "conf.d");

    private string Store => Path.Combine(_root, "copies");

    private string[] Paths => [Env, ConfD, Path.Combine(_root, "conf", "optional.env")];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Restore_PutsBackTheRecordedFiles_RemovesWhatTheReleaseDidNotHave_AndKeepsTheCurrentOnesForUndo()
    {
        Write(Env, "MODE=v1\n");
        Write(Path.Combine(ConfD, "a.conf"), "a v1\n");
        File.SetUnixFileMode(Env, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var v1 = ConfigFileCopies.Take(Paths, FilesLayout.Release(Store, "v1"), "v1", T0);
        Write(Env, "MODE=v2\n");
        Write(Path.Combine(ConfD, "a.conf"), "a v2\n");
        Write(Path.Combine(ConfD, "nested", "b.conf"), "b v2\n");
        Write(Path.Combine(_root, "conf", "optional.env"), "NEW=1\n");

        var result = await new FilesStepRunner(TimeProvider.System).RunAsync(new FilesRestoreStep(Store, Paths, "v1", "v2"), new StepContext("RB-1", 0, NoLedger.Instance, _ => null));

        result.Succeeded.ShouldBeTrue(result.Output);
        result.Output.ShouldBe($"restored 2 file(s) of v1 from {Store}/releases/v1: 2 replaced, 0 unchanged, 2 removed; the previous files (4) are kept in {Store}/undo/RB-1");
        File.ReadAllText(Env).ShouldBe("MODE=v1\n");
        File.GetUnixFileMode(Env).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.EnumerateFiles(ConfD, "*", SearchOption.AllDirectories).ShouldBe([Path.Combine(ConfD, "a.conf")]);
        File.ReadAllText(Path.Combine(ConfD, "a.conf")).ShouldBe("a v1\n");
        File.Exists(Path.Combine(_root, "conf", "optional.env")).ShouldBeFalse();
        v1.Entries.Select(e => e.Kind).ShouldBe([FileCopyEntry.File, FileCopyEntry.Directory, FileCopyEntry.File, FileCopyEntry.Absent]);
        var undo = FileCopyManifest.Read(FilesRestoreStep.UndoDirectory(Store, "RB-1")).ShouldNotBeNull();
        undo.Files.Select(f => f.Path).ShouldBe([Env, Path.Combine(ConfD, "a.conf"), Path.Combine(ConfD, "nested", "b.conf"), Path.Combine(_root, "conf", "optional.env")]);
        Directory.EnumerateFiles(Path.Combine(_root, "conf"), ".*", SearchOption.AllDirectories).ShouldBeEmpty(); // no temporary file left

        // Putting the undo copy back is the same operation: the files are as they were before the rollback.
        ConfigFileCopies.Restore(FilesRestoreStep.UndoDirectory(Store, "RB-1"), Paths, FilesRestoreStep.UndoDirectory(Store, "undo-of-RB-1"), "undo", T0).Succeeded.ShouldBeTrue();
        File.ReadAllText(Env).ShouldBe("MODE=v2\n");
        File.ReadAllText(Path.Combine(ConfD, "nested", "b.conf")).ShouldBe("b v2\n");
        File.ReadAllText(Path.Combine(_root, "conf", "optional.env")).ShouldBe("NEW=1\n");
    }

    [Fact]
    public void Restore_RunTwice_KeepsTheFirstUndoCopy_AndChangesNothingTheSecondTime()
    {
        Write(Env, "MODE=v1\n");
        ConfigFileCopies.Take(Paths, FilesLayout.Release(Store, "v1"), "v1", T0);
        Write(Env, "MODE=hotfix\n");
        var undo = FilesRestoreStep.UndoDirectory(Store, "RB-2");

        ConfigFileCopies.Restore(FilesLayout.Release(Store, "v1"), Paths, undo, "RB-2", T0).Replaced.ShouldBe(1);
        var again = ConfigFileCopies.Restore(FilesLayout.Release(Store, "v1"), Paths, undo, "RB-2", T0);

        again.Succeeded.ShouldBeTrue();
        (again.Replaced, again.Unchanged).ShouldBe((0, 1));
        File.ReadAllText(Path.Combine(undo, FileCopyManifest.Read(undo)!.Files.Single().Copy!)).ShouldBe("MODE=hotfix\n"); // the files before the first run
    }

    [Fact]
    public void Restore_DamagedCopy_IsRefusedBeforeAnythingChanges()
    {
        Write(Env, "MODE=v1\n");
        var copy = FilesLayout.Release(Store, "v1");
        var manifest = ConfigFileCopies.Take(Paths, copy, "v1", T0);
        File.WriteAllText(Path.Combine(copy, manifest.Files.Single().Copy!), "MODE=v666\n");
        Write(Env, "MODE=v2\n");

        var result = ConfigFileCopies.Restore(copy, Paths, FilesRestoreStep.UndoDirectory(Store, "RB-3"), "RB-3", T0);

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldStartWith($"the stored copy in {copy} is not whole: the copy of {Env} (files/0) is damaged: sha256 ");
        result.Message.ShouldEndWith("nothing was changed");
        File.ReadAllText(Env).ShouldBe("MODE=v2\n");
        Directory.Exists(FilesRestoreStep.UndoDirectory(Store, "RB-3")).ShouldBeFalse();
    }

    [Fact]
    public void Restore_FailingPartWay_PutsTheFilesAlreadyReplacedBack()
    {
        var blocked = Path.Combine(_root, "other", "b.conf");
        Write(Env, "MODE=v1\n");
        Write(blocked, "b v1\n");
        string[] paths = [Env, blocked];
        ConfigFileCopies.Take(paths, FilesLayout.Release(Store, "v1"), "v1", T0);
        Write(Env, "MODE=v2\n");
        Directory.Delete(Path.Combine(_root, "other"), recursive: true);
        File.WriteAllText(Path.Combine(_root, "other"), "a file where the directory was"); // b.conf cannot be written now

        var result = ConfigFileCopies.Restore(FilesLayout.Release(Store, "v1"), paths, FilesRestoreStep.UndoDirectory(Store, "RB-4"), "RB-4", T0);

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldStartWith("restoring v1 failed: ");
        result.Message.ShouldEndWith($"the previous files were put back from {Store}/undo/RB-4");
        File.ReadAllText(Env).ShouldBe("MODE=v2\n"); // replaced, then put back
    }

    [Fact]
    public void Restore_NoCopyForTheVersion_FailsSayingSo()
    {
        var result = ConfigFileCopies.Restore(FilesLayout.Release(Store, "v9"), Paths, FilesRestoreStep.UndoDirectory(Store, "RB-5"), "RB-5", T0);

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldBe($"no stored copy in {Store}/releases/v9 (no manifest.json); nothing was changed");
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
