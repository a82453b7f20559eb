using System.Globalization;
using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Releases;

/// <summary>What a files restore did: how many files were replaced, unchanged and removed, and where the previous files are kept.</summary>
public sealed record FilesRestoreResult(bool Succeeded, string Message, int Replaced = 0, int Unchanged = 0, int Removed = 0);

public static partial class ConfigFileCopies
{
    /// <summary>
    /// Puts the files of the copy in <paramref name="copyDirectory"/> in place. Before anything changes, every entry of the
    /// manifest is placed: it must be one of the declared <paramref name="paths"/> or a file or link beneath a declared
    /// directory, reached without a symbolic link on the way (a manifest naming anything else is corrupt), and the copy is
    /// checked against its manifest. The current files are kept in <paramref name="undoDirectory"/> first (a re-run keeps
    /// the first undo copy); then each file is written beside its place and renamed over it, and files and links under a
    /// declared directory that the copy does not hold are removed. A failure part-way puts the undo copy back and says both.
    /// </summary>
    public static FilesRestoreResult Restore(string copyDirectory, IReadOnlyList<string> paths, string undoDirectory, string label, DateTimeOffset now)
    {
        var manifest = FileCopyManifest.Read(copyDirectory);
        if (manifest is null)
        {
            return new FilesRestoreResult(false, $"no stored copy in {copyDirectory} (no {FileCopyManifest.FileName}); nothing was changed");
        }

        if (Refusal(copyDirectory, "stored copy", manifest, paths, out var placements) is { } refused)
        {
            return refused;
        }

        var undo = FileCopyManifest.Read(undoDirectory) ?? Take(paths, undoDirectory, label, now);
        if (Refusal(undoDirectory, "undo copy", undo, paths, out var undoPlacements) is { } undoRefused)
        {
            return undoRefused;
        }

        try
        {
            var (replaced, unchanged, removed) = Apply(copyDirectory, placements);
            return new FilesRestoreResult(
                true,
                string.Create(CultureInfo.InvariantCulture, $"restored {Described(manifest)} of {manifest.Label} from {copyDirectory}: {replaced} replaced, {unchanged} unchanged, {removed} removed; the previous files ({undo.Files.Count()}) are kept in {undoDirectory}"),
                replaced,
                unchanged,
                removed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                Apply(undoDirectory, undoPlacements);
                return new FilesRestoreResult(false, $"restoring {manifest.Label} failed: {ex.Message}; the previous files were put back from {undoDirectory}");
            }
            catch (Exception back) when (back is IOException or UnauthorizedAccessException)
            {
                return new FilesRestoreResult(false, $"restoring {manifest.Label} failed: {ex.Message}; putting the previous files back from {undoDirectory} failed too: {back.Message}; the files may be mixed, a person must look");
            }
        }
    }

    /// <summary>Why the copy in <paramref name="directory"/> cannot be restored, or <see langword="null"/> with where each entry goes.</summary>
    private static FilesRestoreResult? Refusal(string directory, string what, FileCopyManifest manifest, IReadOnlyList<string> paths, out IReadOnlyList<FileCopyPlacement> placements)
    {
        (placements, var corrupt) = FileCopyPlacement.Place(manifest, paths);
        var problem = corrupt is not null
            ? $"the {what} in {directory} is corrupt: {corrupt}; a restore touches only the declared paths"
            : Check(directory, manifest) is { Count: > 0 } problems
                ? $"the {what} in {directory} is not whole: {string.Join("; ", problems)}"
                : paths.Except(manifest.Entries.Select(e => e.Path), StringComparer.Ordinal).ToList() is { Count: > 0 } unknown
                    ? $"the {what} in {directory} does not cover {string.Join(", ", unknown)} (the paths changed since it was taken)"
                    : FileCopyPlacement.DiskProblem(placements) is { } link
                        ? $"the {what} in {directory} cannot be restored: {link}; a restore never writes through a symbolic link"
                        : null;
        return problem is null ? null : new FilesRestoreResult(false, $"{problem}; nothing was changed");
    }

    private static string Described(FileCopyManifest manifest) =>
        manifest.Links.Count() is var links and > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{manifest.Files.Count()} file(s) and {links} link(s)")
            : string.Create(CultureInfo.InvariantCulture, $"{manifest.Files.Count()} file(s)");
}
