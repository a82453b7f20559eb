using System.Text.Json;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Logical dump sets (<c>dumps/&lt;id&gt;/</c>) and file backup sets (<c>files/&lt;id&gt;/</c>), and what retention needs
/// of every kind of set: a listing with ids, finish times and sizes, and the removal of one set.
/// </summary>
public sealed partial class BackupRepository
{
    internal const string StoredFilesFolder = "data";

    internal string TrashDirectory => Path.Combine(Root, "trash");

    internal string KindDirectory(SetKind kind) => Path.Combine(Root, kind switch
    {
        SetKind.Dump => "dumps",
        SetKind.Files => "files",
        _ => "sets",
    });

    internal string SetDirectory(SetKind kind, string setId) => Path.Combine(KindDirectory(kind), setId);

    /// <summary>Where a dump file is stored: <c>dumps/&lt;id&gt;/&lt;database&gt;.dump[.gz][.enc]</c>.</summary>
    internal string DumpFilePath(string setId, ManifestFile file) =>
        Path.Combine(SetDirectory(SetKind.Dump, setId), StoredName(file.Path, file.Compression, file.Encrypted));

    /// <summary>Where a backed-up file is stored: <c>files/&lt;id&gt;/data/&lt;path&gt;[.gz][.enc]</c>.</summary>
    internal string FileSetFilePath(string setId, ManifestFile file) =>
        Path.Combine(FileSetDataDirectory(setId), StoredName(file.Path, file.Compression, file.Encrypted));

    /// <summary>Where a file set's files are stored: <c>files/&lt;id&gt;/data</c>.</summary>
    internal string FileSetDataDirectory(string setId) => Path.Combine(SetDirectory(SetKind.Files, setId), StoredFilesFolder);

    /// <summary>Every complete dump set, oldest first; one whose manifest cannot be read is left out (verification reports it).</summary>
    public async Task<IReadOnlyList<DumpManifest>> ListDumpsAsync(CancellationToken cancellationToken = default) =>
        await ListManifestsAsync<DumpManifest>(SetKind.Dump, cancellationToken);

    public Task<DumpManifest?> ReadDumpAsync(string setId, CancellationToken cancellationToken = default) =>
        ReadManifestAsync<DumpManifest>(SetKind.Dump, setId, cancellationToken);

    /// <summary>Every complete file backup set, oldest first; one whose manifest cannot be read is left out.</summary>
    public async Task<IReadOnlyList<FileSetManifest>> ListFileSetsAsync(CancellationToken cancellationToken = default) =>
        await ListManifestsAsync<FileSetManifest>(SetKind.Files, cancellationToken);

    public Task<FileSetManifest?> ReadFileSetAsync(string setId, CancellationToken cancellationToken = default) =>
        ReadManifestAsync<FileSetManifest>(SetKind.Files, setId, cancellationToken);

    /// <summary>Every complete set of <paramref name="kind"/>, oldest first, with its finish time and sizes.</summary>
    public async Task<IReadOnlyList<StoredSet>> ListStoredSetsAsync(SetKind kind, CancellationToken cancellationToken = default) => kind switch
    {
        SetKind.Dump => [.. (await ListDumpsAsync(cancellationToken)).Select(s => new StoredSet(kind, s.SetId, s.Finished, s.TotalSize, s.TotalStoredSize))],
        SetKind.Files => [.. (await ListFileSetsAsync(cancellationToken)).Select(s => new StoredSet(kind, s.SetId, s.Finished, s.TotalSize, s.TotalStoredSize))],
        _ => [.. (await ListSetsAsync(cancellationToken)).Select(s => new StoredSet(kind, s.SetId, s.Finished, s.TotalSize, s.TotalStoredSize))],
    };

    /// <summary>
    /// Removes one set: its directory is first renamed into <c>trash/</c> (one atomic step, after which the set is gone
    /// from every listing), then deleted. A removal killed half-way leaves only <c>trash/</c>, which the next removal
    /// empties. False when there is no such set.
    /// </summary>
    public bool RemoveSet(SetKind kind, string setId)
    {
        var directory = SetDirectory(kind, setId);
        if (!BackupSetId.IsValid(setId) || !Directory.Exists(directory))
        {
            return false;
        }

        Directory.CreateDirectory(TrashDirectory);
        var trashed = Path.Combine(TrashDirectory, $"{kind.ToString().ToLowerInvariant()}-{setId}-{Guid.NewGuid():N}");
        Directory.Move(directory, trashed);
        FileSystem.SyncDirectory(KindDirectory(kind));
        foreach (var leftover in Directory.EnumerateDirectories(TrashDirectory))
        {
            Directory.Delete(leftover, recursive: true);
        }

        return true;
    }

    internal IEnumerable<string> ListIds(SetKind kind) =>
        Directory.Exists(KindDirectory(kind))
            ? Directory.EnumerateDirectories(KindDirectory(kind)).Select(Path.GetFileName).OfType<string>().Where(BackupSetId.IsValid).Order(StringComparer.Ordinal)
            : [];

    private async Task<List<T>> ListManifestsAsync<T>(SetKind kind, CancellationToken cancellationToken)
        where T : class
    {
        var manifests = new List<T>();
        foreach (var id in ListIds(kind))
        {
            if (await ReadManifestAsync<T>(kind, id, cancellationToken) is { } manifest)
            {
                manifests.Add(manifest);
            }
        }

        return manifests;
    }

    private async Task<T?> ReadManifestAsync<T>(SetKind kind, string setId, CancellationToken cancellationToken)
        where T : class
    {
        if (!BackupSetId.IsValid(setId))
        {
            return null;
        }

        try
        {
            return BackupJson.Deserialize<T>(await File.ReadAllBytesAsync(Path.Combine(SetDirectory(kind, setId), ManifestName), cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
