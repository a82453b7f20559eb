using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Releases;

/// <summary>
/// Where one entry of a files copy goes: a declared path itself (<see cref="Relative"/> is <see langword="null"/>), or a
/// file or link beneath a declared directory (<see cref="Root"/>) at <see cref="Relative"/> below it. A restore touches
/// nothing else: a manifest naming anything else is corrupt.
/// </summary>
internal sealed record FileCopyPlacement(FileCopyEntry Entry, string Root, string? Relative)
{
    /// <summary>The full path, checked on disk just before it is used: no symbolic link on the way below the declared directory.</summary>
    public string Resolve(bool followsLast = false) => Relative is null ? Root : ContainedPath.Resolve(Root, Relative, followsLast);

    /// <summary>
    /// Where each entry of <paramref name="manifest"/> goes, or why the manifest is corrupt: the first entry that is not a
    /// declared path of <paramref name="paths"/> nor a file or link beneath a declared directory, climbs out of it, lies
    /// beneath a link of the same copy, or is listed twice.
    /// </summary>
    public static (IReadOnlyList<FileCopyPlacement> Placements, string? Problem) Place(FileCopyManifest manifest, IReadOnlyList<string> paths)
    {
        var declared = paths.ToHashSet(StringComparer.Ordinal);
        var directories = manifest.Entries
            .Where(e => e.Kind == FileCopyEntry.Directory && declared.Contains(e.Path))
            .Select(e => Path.TrimEndingDirectorySeparator(e.Path))
            .ToList();
        var links = manifest.Links.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, FileCopyEntry>(StringComparer.Ordinal);
        var placements = new List<FileCopyPlacement>();
        foreach (var entry in manifest.Entries)
        {
            var placement = declared.Contains(entry.Path)
                ? new FileCopyPlacement(entry, entry.Path, null)
                : directories.FirstOrDefault(d => entry.Path.StartsWith(d + "/", StringComparison.Ordinal)) is { } directory
                    ? new FileCopyPlacement(entry, directory, entry.Path[(directory.Length + 1)..])
                    : null;
            var problem = placement is null
                ? "is neither one of the declared paths nor beneath a declared directory"
                : placement.KindProblem() ?? placement.PathProblem(links) ?? Twice(entry, seen);
            if (problem is not null)
            {
                return ([], $"the entry '{entry.Path}' {problem}");
            }

            placements.Add(placement!);
        }

        return (placements, null);
    }

    /// <summary>Why an entry cannot be restored without writing through a symbolic link in place now, or <see langword="null"/>.</summary>
    public static string? DiskProblem(IEnumerable<FileCopyPlacement> placements) =>
        placements
            .Where(p => p.Relative is not null)
            .Select(p => ContainedPath.DiskProblem(p.Root, p.Relative!) is { } problem ? $"the entry '{p.Entry.Path}' {problem}" : null)
            .FirstOrDefault(problem => problem is not null);

    private string? KindProblem() => (Entry.Kind, Relative) switch
    {
        (FileCopyEntry.File, _) => Entry.Sha256 is null ? "is a file without a checksum" : ContainedPath.TextProblem(Entry.Copy) is { } copy ? $"keeps its copy at '{Entry.Copy}', which {copy}" : null,
        (FileCopyEntry.Link, not null) => string.IsNullOrEmpty(Entry.Target) || Entry.Target.Contains('\0', StringComparison.Ordinal) ? "is a link without a valid target" : null,
        (FileCopyEntry.Directory or FileCopyEntry.Absent, null) => null,
        (FileCopyEntry.Directory or FileCopyEntry.Absent or FileCopyEntry.Link, _) => $"is a {Entry.Kind} entry where only {(Relative is null ? "a file, directory or absent entry" : "a file or link")} can be",
        _ => $"has the unknown kind '{Entry.Kind}'",
    };

    private string? PathProblem(HashSet<string> links)
    {
        if (Relative is null)
        {
            return null;
        }

        if (ContainedPath.TextProblem(Relative) is { } problem)
        {
            return problem;
        }

        var on = Root;
        foreach (var part in Relative.Split('/')[..^1])
        {
            on = $"{on}/{part}";
            if (links.Contains(on))
            {
                return $"lies beneath '{on}', a link of the same copy";
            }
        }

        return null;
    }

    /// <summary>A path is listed twice only when declared paths overlap (a file and the directory holding it), then alike but for where its copy is kept.</summary>
    private static string? Twice(FileCopyEntry entry, Dictionary<string, FileCopyEntry> seen) =>
        seen.TryAdd(entry.Path, entry) || seen[entry.Path] with { Copy = entry.Copy } == entry ? null : "is listed twice, differently";
}
