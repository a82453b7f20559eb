using System.Globalization;

namespace Rewind.Runtime.Releases;

/// <summary>What a files restore did: how many files were replaced, unchanged and removed, and where the previous files are kept.</summary>
public sealed record FilesRestoreResult(bool Succeeded, string Message, int Replaced = 0, int Unchanged = 0, int Removed = 0);

public static partial class ConfigFileCopies
{
    /// <summary>
    /// Puts the files of the copy in <paramref name="copyDirectory"/> in place. The copy is checked against its manifest
    /// before anything changes; the current files are kept in <paramref name="undoDirectory"/> first (a re-run keeps the
    /// first undo copy); then each file is written beside its place and renamed over it, and files under a declared
    /// directory that the copy does not hold are removed. A failure part-way puts the undo copy back and says both.
    /// </summary>
    public static FilesRestoreResult Restore(string copyDirectory, IReadOnlyList<string> paths, string undoDirectory, string label, DateTimeOffset now)
    {
        var manifest = FileCopyManifest.Read(copyDirectory);
        if (manifest is null)
        {
            return new FilesRestoreResult(false, $"no stored copy in {copyDirectory} (no {FileCopyManifest.FileName}); nothing was changed");
        }

        if (Check(copyDirectory, manifest) is { Count: > 0 } problems)
        {
            return new FilesRestoreResult(false, $"the stored copy in {copyDirectory} is not whole: {string.Join("; ", problems)}; nothing was changed");
        }

        if (paths.Except(manifest.Entries.Select(e => e.Path), StringComparer.Ordinal).ToList() is { Count: > 0 } unknown)
        {
            return new FilesRestoreResult(false, $"the stored copy in {copyDirectory} does not cover {string.Join(", ", unknown)} (the paths changed since it was taken); nothing was changed");
        }

        var undo = FileCopyManifest.Read(undoDirectory) ?? Take(paths, undoDirectory, label, now);
        try
        {
            var (replaced, unchanged, removed) = Apply(copyDirectory, manifest);
            return new FilesRestoreResult(
                true,
                string.Create(CultureInfo.InvariantCulture, $"restored {manifest.Files.Count()} file(s) of {manifest.Label} from {copyDirectory}: {replaced} replaced, {unchanged} unchanged, {removed} removed; the previous files ({undo.Files.Count()}) are kept in {undoDirectory}"),
                replaced,
                unchanged,
                removed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                Apply(undoDirectory, undo);
                return new FilesRestoreResult(false, $"restoring {manifest.Label} failed: {ex.Message}; the previous files were put back from {undoDirectory}");
            }
            catch (Exception back) when (back is IOException or UnauthorizedAccessException)
            {
                return new FilesRestoreResult(false, $"restoring {manifest.Label} failed: {ex.Message}; putting the previous files back from {undoDirectory} failed too: {back.Message}; the files may be mixed, a person must look");
            }
        }
    }

    private static (int Replaced, int Unchanged, int Removed) Apply(string copyDirectory, FileCopyManifest manifest)
    {
        int replaced = 0, unchanged = 0, removed = 0;
        var wanted = manifest.Files.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in manifest.Entries)
        {
            switch (entry.Kind)
            {
                case FileCopyEntry.File when File.Exists(entry.Path) && new FileInfo(entry.Path).Length == entry.Size && Sha256(entry.Path) == entry.Sha256:
                    SetMode(entry.Path, entry.Mode);
                    unchanged++;
                    break;
                case FileCopyEntry.File:
                    Replace(Path.Combine(copyDirectory, entry.Copy!), entry.Path, (UnixFileMode)entry.Mode);
                    replaced++;
                    break;
                case FileCopyEntry.Directory:
                    Directory.CreateDirectory(entry.Path);
                    foreach (var extra in Directory.EnumerateFiles(entry.Path, "*", SearchOption.AllDirectories).Where(f => !wanted.Contains(f)).ToList())
                    {
                        File.Delete(extra);
                        removed++;
                    }

                    break;
                case FileCopyEntry.Absent when File.Exists(entry.Path):
                    File.Delete(entry.Path);
                    removed++;
                    break;
                case FileCopyEntry.Absent when Directory.Exists(entry.Path):
                    removed += Directory.EnumerateFiles(entry.Path, "*", SearchOption.AllDirectories).Count();
                    Directory.Delete(entry.Path, recursive: true);
                    break;
            }
        }

        return (replaced, unchanged, removed);
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
}
