using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Releases;

/// <summary>
/// Keeps the copy of a <c>files</c> component's files that a recorded release stands for, taken when the release is
/// recorded. A version names one set of files: recording it again with the same files changes nothing; with other files
/// it replaces the copy, unless the release is already stable (known good), whose copy is what a rollback restores.
/// Taken by the controller for a component on its own host, by the host's agent otherwise (<see cref="FilesKeepStep"/>).
/// </summary>
public static class ReleaseFiles
{
    /// <summary>Null when the copy is kept; otherwise why it was not (nothing is recorded then).</summary>
    public static string? Keep(string component, IReadOnlyList<string> paths, string store, string version, bool stable, DateTimeOffset now)
    {
        var destination = FilesLayout.Release(store, version);
        var parent = Path.GetDirectoryName(destination)!;
        try
        {
            if (FileCopyManifest.Read(destination) is not { } kept)
            {
                if (Directory.Exists(destination))
                {
                    Directory.Move(destination, Path.Combine(parent, $".{version}.incomplete-{Guid.NewGuid():N}"));
                }

                ConfigFileCopies.Take(paths, destination, version, now);
                return null;
            }

            var fresh = Path.Combine(parent, $".{version}.new-{Guid.NewGuid():N}");
            var taken = ConfigFileCopies.Take(paths, fresh, version, now);
            if (taken.SameContentAs(kept))
            {
                Directory.Delete(fresh, recursive: true);
                return null;
            }

            if (stable)
            {
                Directory.Delete(fresh, recursive: true);
                return $"release {version} of {component} is stable and its stored files differ from the files now in place; a version names one set of files: record the changed files as a new version";
            }

            var replaced = Path.Combine(parent, $".{version}.replaced-{Guid.NewGuid():N}");
            Directory.Move(destination, replaced);
            Directory.Move(fresh, destination);
            Directory.Delete(replaced, recursive: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"keeping a copy of {component}'s files for release {version} in {destination} failed: {ex.Message}";
        }
    }
}
