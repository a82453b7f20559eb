using System.IO.Enumeration;
using System.Security.Cryptography;
using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Releases;

/// <summary>
/// Copies of configuration files (the <c>files</c> provider): taken when a release is recorded and before a restore
/// (the undo copy), each file checksummed in a manifest. A copy is written beside its final place and renamed into it,
/// so a half-written copy never looks complete.
/// </summary>
public static partial class ConfigFileCopies
{
    /// <summary>
    /// Takes a copy of <paramref name="paths"/> into <paramref name="destination"/> (which must not exist yet): files,
    /// directories with everything under them, and paths that do not exist (recorded as absent, so a restore removes them).
    /// A declared path is taken as the config names it; beneath a declared directory no symbolic link is followed: a link
    /// is recorded as a link with its target.
    /// </summary>
    public static FileCopyManifest Take(IReadOnlyList<string> paths, string destination, string label, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(destination))!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(destination)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(staging, "files"));
        try
        {
            var entries = new List<FileCopyEntry>();
            foreach (var path in paths)
            {
                if (File.Exists(path))
                {
                    entries.Add(CopyIn(path, staging, entries.Count));
                }
                else if (Directory.Exists(path))
                {
                    entries.Add(new FileCopyEntry(path, FileCopyEntry.Directory, Mode: ModeOf(path)));
                    foreach (var file in Beneath(path).Order(StringComparer.Ordinal))
                    {
                        entries.Add(new FileInfo(file).LinkTarget is { } target ? new FileCopyEntry(file, FileCopyEntry.Link, Target: target) : CopyIn(file, staging, entries.Count));
                    }
                }
                else
                {
                    entries.Add(new FileCopyEntry(path, FileCopyEntry.Absent));
                }
            }

            var manifest = new FileCopyManifest(label, now, entries);
            manifest.Write(staging);
            Directory.Move(staging, destination);
            return manifest;
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    /// <summary>
    /// The problems of a stored copy (a file missing, kept outside the copy's directory or through a link, or not matching
    /// its checksum); empty when it is whole.
    /// </summary>
    public static IReadOnlyList<string> Check(string directory, FileCopyManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = new List<string>();
        foreach (var entry in manifest.Files)
        {
            var copy = Path.Join(directory, entry.Copy);
            if (ContainedPath.DiskProblem(directory, entry.Copy ?? "", followsLast: true) is { } outside)
            {
                problems.Add($"the copy of {entry.Path} ({entry.Copy}) {outside}");
            }
            else if (!File.Exists(copy))
            {
                problems.Add($"the copy of {entry.Path} ({entry.Copy}) is missing");
            }
            else if (Sha256(copy) is var actual && actual != entry.Sha256)
            {
                problems.Add($"the copy of {entry.Path} ({entry.Copy}) is damaged: sha256 {actual[..12]}…, recorded {entry.Sha256![..12]}…");
            }
        }

        return problems;
    }

    private static FileCopyEntry CopyIn(string path, string staging, int index)
    {
        var copy = $"files/{index}";
        var target = Path.Combine(staging, copy);
        File.Copy(path, target);
        using (var written = new FileStream(target, FileMode.Open, FileAccess.ReadWrite))
        {
            written.Flush(flushToDisk: true);
        }

        return new FileCopyEntry(path, FileCopyEntry.File, new FileInfo(target).Length, Sha256(target), ModeOf(path), copy);
    }

    /// <summary>The files and links beneath <paramref name="directory"/>, walked without following a link.</summary>
    private static FileSystemEnumerable<string> Beneath(string directory) =>
        new FileSystemEnumerable<string>(directory, (ref FileSystemEntry entry) => entry.ToFullPath(), new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory || IsLink(ref entry),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !IsLink(ref entry),
        };

    private static bool IsLink(ref FileSystemEntry entry) => entry.Attributes.HasFlag(FileAttributes.ReparsePoint);

    internal static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Permission bits are kept on Unix (owners are not: the copy is written by the controller's user).</summary>
    private static int ModeOf(string path) => OperatingSystem.IsWindows() ? 0 : (int)File.GetUnixFileMode(path);

    private static void SetMode(string path, int mode)
    {
        if (!OperatingSystem.IsWindows() && mode != 0)
        {
            File.SetUnixFileMode(path, (UnixFileMode)mode);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover staging directory is named as such and never read
        }
    }
}
