using System.Runtime.InteropServices;
using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Releases;

/// <summary>
/// The <c>release-dir</c> layout: <c>&lt;root&gt;/releases/&lt;version&gt;/</c> and a <c>&lt;root&gt;/current</c> symlink
/// pointing at one of them with a relative target (<c>releases/&lt;version&gt;</c>), so the whole root can be moved.
/// </summary>
public static partial class ReleaseDirectory
{
    public const string CurrentLinkName = "current";
    public const string ReleasesDirectoryName = "releases";

    /// <summary>The version <c>current</c> points at, or <see langword="null"/> when there is no <c>current</c> symlink.</summary>
    public static string? ReadCurrentVersion(string root)
    {
        var target = new FileInfo(Path.Combine(root, CurrentLinkName)).LinkTarget;
        return target is null ? null : Path.GetFileName(Path.TrimEndingDirectorySeparator(target));
    }

    public static SwitchResult Switch(SwitchStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Switch(step.Root, step.TargetVersion);
    }

    /// <summary>
    /// Points <c>current</c> at <c>releases/&lt;version&gt;</c>: a new symlink is made beside it and renamed over it, so a
    /// reader sees either the old or the new target, never a missing link. Doing it twice changes nothing the second time.
    /// </summary>
    public static SwitchResult Switch(string root, string version)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(version);
        if (version.Contains('/', StringComparison.Ordinal) || version is "." or "..")
        {
            return new SwitchResult(SwitchOutcome.Refused, root, version, null, $"refused: '{version}' is not a release name");
        }

        var relativeTarget = ReleasesDirectoryName + "/" + version;
        var targetDirectory = Path.GetFullPath(Path.Combine(root, relativeTarget));
        var currentLink = Path.Combine(root, CurrentLinkName);
        var previousTarget = new FileInfo(currentLink).LinkTarget;
        var previous = ReadCurrentVersion(root);
        if (!Directory.Exists(targetDirectory))
        {
            return new SwitchResult(SwitchOutcome.Refused, root, version, previous, $"refused: {targetDirectory} does not exist");
        }

        if (previousTarget is not null && PathsEqual(Path.GetFullPath(previousTarget, Path.GetFullPath(root)), targetDirectory))
        {
            return new SwitchResult(SwitchOutcome.AlreadyOnTarget, root, version, previous, $"current already on {version}; nothing to do");
        }

        var temporaryLink = Path.Combine(root, ".current.tmp-" + Guid.NewGuid().ToString("N")[..12]);
        File.CreateSymbolicLink(temporaryLink, relativeTarget);
        try
        {
            Rename(temporaryLink, currentLink);
        }
        catch
        {
            File.Delete(temporaryLink);
            throw;
        }

        var from = previous is null ? "no current release" : previous;
        return new SwitchResult(SwitchOutcome.Switched, root, version, previous, $"switched current from {from} to {version}");
    }

    private static bool PathsEqual(string left, string right) =>
        string.Equals(Path.TrimEndingDirectorySeparator(left), Path.TrimEndingDirectorySeparator(right), StringComparison.Ordinal);

    // File.Move refuses a symlink whose target is a directory, and would not replace one atomically; rename(2) does both.
    internal static void Rename(string from, string to)
    {
        if (RenameNative(from, to) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"rename {from} -> {to} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string oldPath, string newPath);
}
