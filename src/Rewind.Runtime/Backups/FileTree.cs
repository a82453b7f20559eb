using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// What a file backup finds under its declared paths, walked without following symbolic links: directories, regular
/// files, links, and what it leaves out (FIFOs, sockets, devices). Relative paths are the absolute ones without the
/// leading '/'.
/// </summary>
internal sealed record FileTree(
    IReadOnlyList<ManifestDirectory> Directories,
    IReadOnlyList<(string Relative, FileInfo Info)> Files,
    IReadOnlyList<ManifestLink> Links,
    IReadOnlyList<string> Skipped)
{
    public static FileTree Walk(IEnumerable<string> roots)
    {
        var directories = new List<ManifestDirectory>();
        var files = new List<(string, FileInfo)>();
        var links = new List<ManifestLink>();
        var skipped = new List<string>();
        var pending = new Stack<FileSystemInfo>(roots.Select(root => Info(Path.GetFullPath(root).TrimEnd('/'))).Reverse());
        while (pending.TryPop(out var entry))
        {
            var relative = entry.FullName.TrimStart('/');
            if (entry.LinkTarget is { } target)
            {
                links.Add(new ManifestLink(relative, target));
            }
            else if (entry is DirectoryInfo directory)
            {
                directories.Add(new ManifestDirectory(relative, (int)directory.UnixFileMode));
                foreach (var child in directory.EnumerateFileSystemInfos().OrderByDescending(child => child.Name, StringComparer.Ordinal))
                {
                    pending.Push(child);
                }
            }
            else if (FileSystem.IsRegularFile(entry.FullName))
            {
                files.Add((relative, (FileInfo)entry));
            }
            else
            {
                skipped.Add(relative + ": not a regular file, directory or link");
            }
        }

        return new FileTree(directories, files, links, skipped);
    }

    private static FileSystemInfo Info(string path) => Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null ? new DirectoryInfo(path) : new FileInfo(path);
}
