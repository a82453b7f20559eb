using System.Text.Json;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// A backup repository on a file system:
/// <c>sets/&lt;set-id&gt;/manifest.json</c> and <c>sets/&lt;set-id&gt;/pg_data/…</c> for base backups,
/// <c>wal/&lt;timeline&gt;/&lt;name&gt;[.gz][.enc]</c> with <c>&lt;name&gt;.json</c> for archived WAL, and <c>tmp/</c> for
/// work in progress. A set appears under <c>sets/</c> only once complete (its directory is renamed there), and a WAL file
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
        Root = Path.GetFullPath(options.Path);
    }

    public BackupRepositoryOptions Options { get; }

    public string Root { get; }

    internal string SetsDirectory => Path.Combine(Root, "sets");

    internal string WalRoot => Path.Combine(Root, "wal");

    internal string TemporaryDirectory => Path.Combine(Root, "tmp");

    internal StorageSettings Storage => new(Options.Compression, Options.CompressionLevel, Options.Key);

    internal string SetDirectory(string setId) => Path.Combine(SetsDirectory, setId);

    internal static string StoredName(string relativePath, StoredCompression compression, bool encrypted) =>
        relativePath + (compression == StoredCompression.Gzip ? ".gz" : "") + (encrypted ? ".enc" : "");

    internal static string StoredFilePath(string setDirectory, ManifestFile file) =>
        Path.Combine(setDirectory, DataFolder, StoredName(file.Path, file.Compression, file.Encrypted));

    internal string WalDirectory(uint timeline) => Path.Combine(WalRoot, WalFileName.FormatTimeline(timeline));

    internal string WalEntryPath(WalFileName name) => Path.Combine(WalDirectory(name.Timeline), name.Name + ".json");

    internal string WalStoredPath(WalEntry entry, uint timeline) =>
        Path.Combine(WalDirectory(timeline), StoredName(entry.Name, entry.Compression, entry.Encrypted));

    /// <summary>Every complete set, oldest first. A set whose manifest cannot be read is left out (verification reports it).</summary>
    public async Task<IReadOnlyList<BackupManifest>> ListSetsAsync(CancellationToken cancellationToken = default)
    {
        var sets = new List<BackupManifest>();
        foreach (var id in ListSetIds())
        {
            if (await ReadSetAsync(id, cancellationToken) is { } manifest)
            {
                sets.Add(manifest);
            }
        }

        return sets;
    }

    /// <summary>The manifest of one set, or <see langword="null"/> when the set does not exist or its manifest is unreadable.</summary>
    public async Task<BackupManifest?> ReadSetAsync(string setId, CancellationToken cancellationToken = default)
    {
        if (!BackupSetId.IsValid(setId))
        {
            return null;
        }

        try
        {
            var json = await File.ReadAllBytesAsync(Path.Combine(SetDirectory(setId), ManifestName), cancellationToken);
            return BackupJson.Deserialize<BackupManifest>(json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every archived WAL file's entry, in name order per timeline.</summary>
    public async Task<IReadOnlyList<WalEntry>> ListWalAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<WalEntry>();
        if (!Directory.Exists(WalRoot))
        {
            return entries;
        }

        foreach (var path in Directory.EnumerateFiles(WalRoot, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!FileSystem.IsTemporary(Path.GetFileName(path)) && await ReadWalEntryAsync(path, cancellationToken) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    internal IEnumerable<string> ListSetIds() =>
        Directory.Exists(SetsDirectory)
            ? Directory.EnumerateDirectories(SetsDirectory).Select(Path.GetFileName).OfType<string>().Where(BackupSetId.IsValid).Order(StringComparer.Ordinal)
            : [];

    internal static async Task<WalEntry?> ReadWalEntryAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return BackupJson.Deserialize<WalEntry>(await File.ReadAllBytesAsync(path, cancellationToken));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }
}
