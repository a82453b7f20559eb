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

    internal static string KindFolder(SetKind kind) => kind switch
    {
        SetKind.Dump => "dumps",
        SetKind.Files => "files",
        _ => "sets",
    };

    /// <summary>A set's folder: <c>sets/&lt;id&gt;</c>, <c>dumps/&lt;id&gt;</c> or <c>files/&lt;id&gt;</c>.</summary>
    internal static string SetFolder(SetKind kind, string setId) => $"{KindFolder(kind)}/{setId}";

    /// <summary>Where a set's stored files are: <c>sets/&lt;id&gt;/pg_data</c>, <c>dumps/&lt;id&gt;</c>, <c>files/&lt;id&gt;/data</c>.</summary>
    internal static string DataFolderOf(SetKind kind, string setId) => kind switch
    {
        SetKind.Dump => SetFolder(kind, setId),
        SetKind.Files => $"{SetFolder(kind, setId)}/{StoredFilesFolder}",
        _ => $"{SetFolder(kind, setId)}/{DataFolder}",
    };

    /// <summary>The key of one stored file of a set.</summary>
    internal static string StoredKey(SetKind kind, string setId, ManifestFile file) =>
        $"{DataFolderOf(kind, setId)}/{StoredName(file.Path, file.Compression, file.Encrypted)}";

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
    /// Removes one set, gone from every listing in the first step: in a directory it is renamed into <c>trash/</c>, then
    /// deleted (a removal killed half-way leaves only <c>trash/</c>, which the next removal empties); in object storage its
    /// manifest is deleted, then its objects (a removal killed half-way leaves objects no manifest names, which expiry
    /// removes). False when there is no such set.
    /// </summary>
    public bool RemoveSet(SetKind kind, string setId) => BackupSetId.IsValid(setId) && Objects.RemoveSet(SetFolder(kind, setId));

    internal Task<IReadOnlyList<string>> ListIdsAsync(SetKind kind, CancellationToken cancellationToken) => Objects.ListSetIdsAsync(KindFolder(kind), cancellationToken);

    private async Task<List<T>> ListManifestsAsync<T>(SetKind kind, CancellationToken cancellationToken)
        where T : class
    {
        var manifests = new List<T>();
        foreach (var id in await ListIdsAsync(kind, cancellationToken))
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
            return await Objects.ReadAllAsync($"{SetFolder(kind, setId)}/{ManifestName}", cancellationToken) is { } json ? BackupJson.Deserialize<T>(json) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
