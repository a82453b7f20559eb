using System.Security.Cryptography;

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
                    foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                    {
                        entries.Add(CopyIn(file, staging, entries.Count));
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

    /// <summary>The problems of a stored copy (a file missing, or not matching its checksum); empty when it is whole.</summary>
    public static IReadOnlyList<string> Check(string directory, FileCopyManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = new List<string>();
        foreach (var entry in manifest.Files)
        {
            var copy = Path.Combine(directory, entry.Copy!);
            if (!File.Exists(copy))
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
