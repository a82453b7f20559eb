using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Releases;

public static partial class ConfigFileCopies
{
    /// <summary>
    /// Puts each placed entry in place, in manifest order (a declared directory before what lies beneath it). Every path is
    /// resolved again just before it is used, so a link made earlier in the same restore is never written through.
    /// </summary>
    private static (int Replaced, int Unchanged, int Removed) Apply(string copyDirectory, IReadOnlyList<FileCopyPlacement> placements)
    {
        int replaced = 0, unchanged = 0, removed = 0;
        var wanted = placements.Where(p => p.Entry.Kind is FileCopyEntry.File or FileCopyEntry.Link).Select(p => p.Entry.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var placement in placements)
        {
            var entry = placement.Entry;
            var path = placement.Resolve();
            switch (entry.Kind)
            {
                case FileCopyEntry.File when IsSameFile(placement, path):
                    if (new FileInfo(path).LinkTarget is null)
                    {
                        SetMode(path, entry.Mode);
                    }

                    unchanged++;
                    break;
                case FileCopyEntry.File:
                    Replace(ContainedPath.Resolve(copyDirectory, entry.Copy!, followsLast: true), path, (UnixFileMode)entry.Mode);
                    replaced++;
                    break;
                case FileCopyEntry.Link when new FileInfo(path).LinkTarget == entry.Target:
                    unchanged++;
                    break;
                case FileCopyEntry.Link:
                    ReplaceWithLink(path, entry.Target!);
                    replaced++;
                    break;
                case FileCopyEntry.Directory:
                    Directory.CreateDirectory(path);
                    foreach (var extra in Beneath(path).Where(f => !wanted.Contains(f)).ToList())
                    {
                        File.Delete(extra);
                        removed++;
                    }

                    break;
                case FileCopyEntry.Absent:
                    removed += Remove(path);
                    break;
            }
        }

        return (replaced, unchanged, removed);
    }

    /// <summary>
    /// Whether the file in place has the recorded content. Beneath a declared directory only a regular file can (a link there
    /// is replaced, never read through); a declared path is taken as the config names it, a link followed.
    /// </summary>
    private static bool IsSameFile(FileCopyPlacement placement, string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null
            ? info.Exists && info.Length == placement.Entry.Size && Sha256(path) == placement.Entry.Sha256
            : placement.Relative is null && File.Exists(path) && Sha256(path) == placement.Entry.Sha256;
    }

    /// <summary>Removes a path the release had as absent: a link itself (never what it points to), a file, or a directory with everything beneath it.</summary>
    private static int Remove(string path)
    {
        if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
            return 1;
        }

        if (!Directory.Exists(path))
        {
            return 0;
        }

        var removed = Beneath(path).Count();
        Directory.Delete(path, recursive: true);
        return removed;
    }

    /// <summary>Writes the new content beside the file, flushed to disk, then renames it over the file: a reader sees the old or the new file, never half of one.</summary>
    private static void Replace(string source, string destination, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(destination)}.rewind-{Guid.NewGuid():N}");
        try
        {
            using (var from = File.OpenRead(source))
            using (var to = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                from.CopyTo(to);
                to.Flush(flushToDisk: true);
            }

            SetMode(temporary, (int)mode);
            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Makes the link beside its place and renames it over what is there (a file or a link, never a directory).</summary>
    private static void ReplaceWithLink(string destination, string target)
    {
        if (Directory.Exists(destination) && new FileInfo(destination).LinkTarget is null)
        {
            throw new IOException($"{destination} is a directory; the copy has a link there, which is never put over a directory");
        }

        var directory = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(destination)}.rewind-{Guid.NewGuid():N}");
        try
        {
            File.CreateSymbolicLink(temporary, target);
            ReleaseDirectory.Rename(temporary, destination);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
