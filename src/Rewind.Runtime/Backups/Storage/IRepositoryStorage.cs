namespace Rewind.Runtime.Backups;

/// <summary>
/// Where a repository's objects live: a directory (<see cref="LocalStorage"/>) or a bucket of S3-compatible object storage
/// (<see cref="ObjectStorage"/>). Keys are relative and '/'-separated (<c>sets/&lt;id&gt;/manifest.json</c>), the same in
/// both. Everything above it (manifests, checksums, compression, encryption, retention) is written once, for both.
/// </summary>
internal interface IRepositoryStorage
{
    /// <summary>The repository as the user wrote it, for messages: a full path or <c>s3://bucket/prefix</c>. Never a credential.</summary>
    string Location { get; }

    /// <summary>The repository's directory when it is one on this host (the overlap checks of file backups and restores need it).</summary>
    string? LocalRoot { get; }

    /// <summary>A local directory for work in progress (staging copies, dumps read back, work locks): <c>tmp/</c> of a local repository.</summary>
    string WorkDirectory { get; }

    /// <summary>The valid set ids under <paramref name="kindFolder"/> (<c>sets</c>, <c>dumps</c>, <c>files</c>) of published sets, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListSetIdsAsync(string kindFolder, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="folder"/> (<c>sets/&lt;id&gt;</c>) is a published set.</summary>
    bool SetExists(string folder);

    /// <summary>The names of the folders directly beneath <paramref name="folder"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListFoldersAsync(string folder, CancellationToken cancellationToken);

    /// <summary>Every complete object beneath <paramref name="folder"/> (at any depth) as a key, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListKeysAsync(string folder, CancellationToken cancellationToken);

    /// <summary>The content of a small object (a manifest, a WAL entry), or <see langword="null"/> when there is none.</summary>
    Task<byte[]?> ReadAllAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Opens <paramref name="name"/> beneath <paramref name="folder"/> for reading; on a file system never through a
    /// symbolic link below the folder (<see cref="Paths.ContainedPath"/>). Throws <see cref="FileNotFoundException"/> when it does not exist.
    /// </summary>
    Stream OpenRead(string folder, string name);

    /// <summary>The stored size of an object, or <see langword="null"/> when it does not exist.</summary>
    long? SizeOf(string key);

    /// <summary>A new object under <paramref name="key"/>: it exists (replacing one of that key) only once committed.</summary>
    ObjectWriter Create(string key);

    /// <summary>Writes a small object atomically and durably (a WAL entry: the commit point of its file).</summary>
    Task WriteAllAsync(string key, byte[] content, CancellationToken cancellationToken);

    /// <summary>
    /// Starts writing a set that will be published as <paramref name="folder"/> (<c>sets/&lt;id&gt;</c>); a local repository
    /// writes it in <paramref name="work"/> (under <see cref="WorkDirectory"/>) and renames it into place.
    /// </summary>
    SetWriter BeginSet(string folder, string work);

    /// <summary>Removes a published set, gone from every listing in its first step; false when there is no such set.</summary>
    bool RemoveSet(string folder);

    /// <summary>Deletes one object; nothing when it does not exist.</summary>
    void Delete(string key);

    /// <summary>
    /// Objects no commit point names (the uploads of a killed backup or push) last written before <paramref name="before"/>:
    /// what <see cref="RemoveLeftover"/> takes. None on a file system, where such work stays in <see cref="WorkDirectory"/>.
    /// </summary>
    Task<IReadOnlyList<string>> ListLeftoversAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Removes one leftover <see cref="ListLeftoversAsync"/> named.</summary>
    void RemoveLeftover(string leftover);
}
