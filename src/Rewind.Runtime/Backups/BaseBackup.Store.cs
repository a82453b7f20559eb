using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

public sealed partial class BaseBackup
{
    /// <summary>Files PostgreSQL's tools add to a plain backup that are not part of the data directory.</summary>
    private static readonly string[] NotData = ["backup_manifest"];

    /// <summary>
    /// Stores every file of <paramref name="staging"/> into <paramref name="set"/> under <c>pg_data/</c>, largest first, in
    /// parallel; with a <paramref name="parent"/>, only those changed since it (the others are referenced).
    /// </summary>
    private async Task<(IReadOnlyList<ManifestDirectory> Directories, IReadOnlyList<ManifestFile> Files)> StoreFilesAsync(string staging, SetWriter set, BackupManifest? parent, CancellationToken cancellationToken)
    {
        var directories = new List<ManifestDirectory>();
        var sources = new List<(string Relative, FileInfo Info)>();
        foreach (var entry in new DirectoryInfo(staging).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(staging, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry.LinkTarget is not null)
            {
                throw new BackupIntegrityException($"{relative} is a symbolic link: tablespaces and a pg_wal outside the data directory are not supported yet");
            }

            if (entry is DirectoryInfo)
            {
                directories.Add(new ManifestDirectory(relative, (int)entry.UnixFileMode));
                set.CreateFolder($"{BackupRepository.DataFolder}/{relative}");
            }
            else if (!NotData.Contains(relative, StringComparer.Ordinal))
            {
                sources.Add((relative, (FileInfo)entry));
            }
        }

        set.CreateFolder(BackupRepository.DataFolder);
        var (referenced, toStore) = parent is null ? ([], sources) : await ReferenceUnchangedAsync(sources, parent, cancellationToken);
        var (files, vanished) = await SetFiles.StoreAsync(toStore, set, BackupRepository.DataFolder, _repository.Storage, _repository.FileParallelism, cancellationToken);
        return vanished.Count == 0
            ? (directories, [.. files.Concat(referenced).OrderBy(file => file.Path, StringComparer.Ordinal)])
            : throw new BackupIntegrityException($"{vanished[0]} vanished from the staging copy");
    }
}
