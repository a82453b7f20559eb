using System.Globalization;

namespace Rewind.Runtime.Releases;

public static partial class ConfigFileCopies
{
    /// <summary>
    /// Whether the files on disk are already exactly those of the copy in <paramref name="copyDirectory"/>: every file with
    /// its recorded checksum and mode, every link with its recorded target, every declared directory present and holding
    /// nothing the copy does not hold, every absent path absent. A sentence saying what was read when all of it matches;
    /// <see langword="null"/> when anything differs or cannot be read (a copy that is missing, corrupt or does not cover the
    /// paths, a link on the way, an I/O error): then the restore runs again, which is safe, where a wrong "in place" would
    /// skip a restore that did not happen.
    /// </summary>
    public static string? InPlace(string copyDirectory, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        try
        {
            var manifest = FileCopyManifest.Read(copyDirectory);
            if (manifest is null)
            {
                return null;
            }

            var (placements, corrupt) = FileCopyPlacement.Place(manifest, paths);
            if (corrupt is not null
                || paths.Except(manifest.Entries.Select(e => e.Path), StringComparer.Ordinal).Any()
                || FileCopyPlacement.DiskProblem(placements) is not null)
            {
                return null;
            }

            var wanted = placements.Where(p => p.Entry.Kind is FileCopyEntry.File or FileCopyEntry.Link).Select(p => p.Entry.Path).ToHashSet(StringComparer.Ordinal);
            return placements.All(p => Matches(p, wanted))
                ? string.Create(CultureInfo.InvariantCulture, $"the {Described(manifest)} of {manifest.Label} from {copyDirectory} are already in place (checksums, modes, link targets, directories and absent paths read back)")
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether one placed entry is on disk as the copy has it.</summary>
    private static bool Matches(FileCopyPlacement placement, HashSet<string> wanted)
    {
        var entry = placement.Entry;
        var path = placement.Resolve();
        var info = new FileInfo(path);
        return entry.Kind switch
        {
            FileCopyEntry.File => IsSameFile(placement, path) && (info.LinkTarget is not null || entry.Mode == 0 || ModeOf(path) == entry.Mode),
            FileCopyEntry.Link => info.LinkTarget == entry.Target,
            FileCopyEntry.Directory => Directory.Exists(path) && Beneath(path).All(wanted.Contains),
            FileCopyEntry.Absent => info.LinkTarget is null && !File.Exists(path) && !Directory.Exists(path),
            _ => false,
        };
    }
}
