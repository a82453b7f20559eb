using System.Text.Json;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// A backup repository, in a directory or in S3-compatible object storage (<see cref="IRepositoryStorage"/>):
/// <c>sets/&lt;set-id&gt;/manifest.json</c> and <c>sets/&lt;set-id&gt;/pg_data/…</c> for base backups,
/// <c>wal/&lt;timeline&gt;/&lt;name&gt;[.gz][.enc]</c> with <c>&lt;name&gt;.json</c> for archived WAL. A set counts only once
/// its manifest is written after all its files (on a file system its directory is then renamed into place), and a WAL file
/// counts as archived only once its <c>.json</c> entry exists, so nothing half-written ever looks complete.
/// </summary>
public sealed partial class BackupRepository
{
    internal const string ManifestName = "manifest.json";
    internal const string DataFolder = "pg_data";

    public BackupRepository(BackupRepositoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Objects = ObjectLocation.IsObjectStorage(options.Path)
            ? new ObjectStorage(options.Path, options.ObjectStorage ?? new ObjectStorageOptions())
            : new LocalStorage(Path.GetFullPath(options.Path));
        Root = Objects.Location;
    }

    public BackupRepositoryOptions Options { get; }

    /// <summary>Where the repository is: its full path, or <c>s3://bucket/prefix</c>.</summary>
    public string Root { get; }

    /// <summary>Whether the repository is in object storage rather than a directory of this host.</summary>
    public bool IsObjectStorage => Objects.LocalRoot is null;

    internal IRepositoryStorage Objects { get; }

    /// <summary>
    /// The local directory for work in progress (staging copies, dumps read back, work locks): <c>tmp/</c> of a directory
    /// repository, <see cref="ObjectStorageOptions.WorkDirectory"/> of one in object storage.
    /// </summary>
    public string WorkDirectory => Objects.WorkDirectory;

    /// <summary>
    /// How many files are stored, restored or checked at once: <see cref="BackupRepositoryOptions.Parallelism"/>, and in
    /// object storage at least <see cref="ObjectStorageOptions.Concurrency"/> (requests wait on the network, not the CPU).
    /// </summary>
    internal int FileParallelism => Math.Max(1, IsObjectStorage ? Math.Max(Options.Parallelism, (Options.ObjectStorage ?? new ObjectStorageOptions()).Concurrency) : Options.Parallelism);

    internal StorageSettings Storage => new(Options.Compression, Options.CompressionLevel, Options.Key);

    internal static string StoredName(string relativePath, StoredCompression compression, bool encrypted) =>
        relativePath + (compression == StoredCompression.Gzip ? ".gz" : "") + (encrypted ? ".enc" : "");

    internal static string WalFolder(uint timeline) => "wal/" + WalFileName.FormatTimeline(timeline);

    internal static string WalEntryKey(WalFileName name) => $"{WalFolder(name.Timeline)}/{name.Name}.json";

    internal static string WalStoredName(WalEntry entry) => StoredName(entry.Name, entry.Compression, entry.Encrypted);

    /// <summary>Every complete set, oldest first. A set whose manifest cannot be read is left out (verification reports it).</summary>
    public async Task<IReadOnlyList<BackupManifest>> ListSetsAsync(CancellationToken cancellationToken = default)
    {
        var sets = new List<BackupManifest>();
        foreach (var id in await ListSetIdsAsync(cancellationToken))
        {
            if (await ReadSetAsync(id, cancellationToken) is { } manifest)
            {
                sets.Add(manifest);
            }
        }

        return sets;
    }

    /// <summary>
    /// The manifest of one set, or <see langword="null"/> when the set does not exist or its manifest is unreadable
    /// (also when a newer Rewind wrote it in a format this one does not know: its files could be where this one never looks).
    /// </summary>
    public async Task<BackupManifest?> ReadSetAsync(string setId, CancellationToken cancellationToken = default) =>
        await ReadManifestAsync<BackupManifest>(SetKind.Base, setId, cancellationToken) is { Format: <= BackupManifest.NewestFormat } manifest ? manifest : null;

    /// <summary>Every archived WAL file's entry, in name order per timeline.</summary>
    public async Task<IReadOnlyList<WalEntry>> ListWalAsync(CancellationToken cancellationToken = default)
    {
        var keys = (await Objects.ListKeysAsync("wal", cancellationToken)).Where(key => key.EndsWith(".json", StringComparison.Ordinal)).ToList();
        var entries = new WalEntry?[keys.Count];
        await Parallel.ForAsync(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = IsObjectStorage ? 16 : 1, CancellationToken = cancellationToken }, async (i, token) =>
            entries[i] = await ReadWalEntryAsync(keys[i], token));
        return [.. entries.OfType<WalEntry>()];
    }

    internal Task<IReadOnlyList<string>> ListSetIdsAsync(CancellationToken cancellationToken) => Objects.ListSetIdsAsync(KindFolder(SetKind.Base), cancellationToken);

    internal async Task<WalEntry?> ReadWalEntryAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await Objects.ReadAllAsync(key, cancellationToken) is { } json ? BackupJson.Deserialize<WalEntry>(json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
