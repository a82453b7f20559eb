using Rewind.Core.Runbooks;
using Rewind.Runtime.Releases;
using Rewind.Runtime.Runbooks;

namespace Rewind.Runtime.Tests.Releases;

/// <summary>
/// Reading back whether a files restore is in place (what a resumed rollback asks before running it again), on a real
/// file system: "in place" only when every entry of the copy matches the disk; any difference, or anything that cannot be
/// read, means "run it again".
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ConfigFileCopiesInPlaceTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("rewind-files-").FullName;

    public ConfigFileCopiesInPlaceTests()
    {
        // v1: a private env file, a directory with a file and a link to it, an optional file absent
        Write(Env, "MODE=v1\n");
        File.SetUnixFileMode(Env, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(Path.Combine(ConfD, "a.conf"), "a v1\n");
        File.CreateSymbolicLink(Path.Combine(ConfD, "current.conf"), "a.conf");
        ConfigFileCopies.Take(Paths, Copy, "v1", T0);

        // v2 in place: every kind of entry differs
        Write(Env, "MODE=v2\n");
        Write(Path.Combine(ConfD, "a.conf"), "a v2\n");
        Write(Path.Combine(ConfD, "b.conf"), "b v2\n");
        File.Delete(Path.Combine(ConfD, "current.conf"));
        File.CreateSymbolicLink(Path.Combine(ConfD, "current.conf"), "b.conf");
        Write(Optional, "NEW=1\n");
    }

    private string Env => Path.Combine(_root, "conf", "app.env");

    private string ConfD => Path.Combine(_root, "conf", "conf.d");

    private string Optional => Path.Combine(_root, "conf", "optional.env");

    private string Store => Path.Combine(_root, "copies");

    private string Copy => FilesLayout.Release(Store, "v1");

    private string[] Paths => [Env, ConfD, Optional];

    public static TheoryData<string> Disturbances => ["content", "mode", "extra file", "absent present", "link target", "file missing", "link missing", "directory missing", "copy missing"];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void InPlace_BeforeTheRestore_IsNull_AfterIt_SaysWhatWasRead_AsTheStepRunnerDoes()
    {
        var step = new FilesRestoreStep(Store, Paths, "v1", "v2");
        var runner = new FilesStepRunner(TimeProvider.System);
        var before = runner.InPlace(step);
        ConfigFileCopies.Restore(Copy, Paths, FilesRestoreStep.UndoDirectory(Store, "RB-1"), "RB-1", T0).Succeeded.ShouldBeTrue();

        before.ShouldBeNull();
        runner.InPlace(step).ShouldBe($"the 2 file(s) and 1 link(s) of v1 from {Copy} are already in place (checksums, modes, link targets, directories and absent paths read back)");
    }

    [Theory]
    [MemberData(nameof(Disturbances))]
    public void InPlace_AnyEntryDifferent_IsNull(string disturbance)
    {
        ConfigFileCopies.Restore(Copy, Paths, FilesRestoreStep.UndoDirectory(Store, "RB-2"), "RB-2", T0).Succeeded.ShouldBeTrue();
        ConfigFileCopies.InPlace(Copy, Paths).ShouldNotBeNull();

        Disturb(disturbance);

        ConfigFileCopies.InPlace(Copy, Paths).ShouldBeNull();
    }

    [Fact]
    public void InPlace_HalfRestored_IsNull()
    {
        // what an interrupted restore may leave: the env file replaced, the directory not yet
        File.WriteAllText(Env, "MODE=v1\n");
        File.SetUnixFileMode(Env, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Delete(Optional);

        ConfigFileCopies.InPlace(Copy, Paths).ShouldBeNull();
    }

    [Fact]
    public void InPlace_CopyNotCoveringThePaths_IsNull()
    {
        ConfigFileCopies.Restore(Copy, Paths, FilesRestoreStep.UndoDirectory(Store, "RB-3"), "RB-3", T0).Succeeded.ShouldBeTrue();

        ConfigFileCopies.InPlace(Copy, [.. Paths, Path.Combine(_root, "conf", "added.env")]).ShouldBeNull(); // the paths changed since the copy was taken
    }

    private void Disturb(string disturbance)
    {
        switch (disturbance)
        {
            case "content":
                File.WriteAllText(Env, "MODE=v9\n"); // same size, other checksum
                break;
            case "mode":
                File.SetUnixFileMode(Env, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                break;
            case "extra file":
                Write(Path.Combine(ConfD, "nested", "c.conf"), "c\n");
                break;
            case "absent present":
                Write(Optional, "NEW=1\n");
                break;
            case "link target":
                File.Delete(Path.Combine(ConfD, "current.conf"));
                File.CreateSymbolicLink(Path.Combine(ConfD, "current.conf"), "b.conf");
                break;
            case "file missing":
                File.Delete(Path.Combine(ConfD, "a.conf"));
                break;
            case "link missing":
                File.Delete(Path.Combine(ConfD, "current.conf"));
                break;
            case "directory missing":
                Directory.Delete(ConfD, recursive: true);
                break;
            case "copy missing":
                File.Delete(Path.Combine(Copy, FileCopyManifest.FileName));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(disturbance), disturbance, null);
        }
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
