using Rewind.Core.Backups;
using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Backups;

public sealed partial class FileRestore
{
    /// <summary>
    /// Refuses, before anything is written, a manifest whose entries could leave the destination: a path that is not plain
    /// relative text (<see cref="ContainedPath.TextProblem"/>), one listed twice, or one beneath a link of the same set
    /// (links are made last, but nothing may ever be written through one). A link itself is restored with its target as
    /// written, wherever it points: it is data, never followed by the restore.
    /// </summary>
    private static string? CheckPaths(FileSetManifest set)
    {
        var links = set.Links.Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = set.Directories.Select(d => (d.Path, Target: (string?)null))
            .Concat(set.Files.Select(f => (f.Path, Target: (string?)null)))
            .Concat(set.Links.Select(l => (l.Path, Target: (string?)(l.Target ?? ""))));
        foreach (var (path, target) in entries)
        {
            var problem = ContainedPath.TextProblem(path)
                ?? (seen.Add(path) ? null : "is listed twice")
                ?? LinkAbove(path, links)
                ?? (target is not null && (target.Length == 0 || target.Contains('\0', StringComparison.Ordinal)) ? "is a link without a valid target" : null);
            if (problem is not null)
            {
                return $"file set {set.SetId} is corrupt: the entry '{path}' {problem}; refused, nothing was restored";
            }
        }

        return null;
    }

    private static string? LinkAbove(string path, HashSet<string> links)
    {
        for (var end = path.IndexOf('/', StringComparison.Ordinal); end > 0; end = path.IndexOf('/', end + 1))
        {
            if (links.Contains(path[..end]))
            {
                return $"lies beneath '{path[..end]}', a link of the same set";
            }
        }

        return null;
    }
}
