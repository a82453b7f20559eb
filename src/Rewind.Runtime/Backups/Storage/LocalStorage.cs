using Rewind.Core.Backups;
using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Backups;

/// <summary>
/// A repository in a directory: a set is written under <c>tmp/</c>, fsynced and renamed into place; a single object is
/// written to a hidden name beside its own, fsynced and renamed; a removed set is renamed into <c>trash/</c> first.
/// </summary>
internal sealed partial class LocalStorage(string root) : IRepositoryStorage
{
    public string Location => root;

    public string? LocalRoot => root;

    public string WorkDirectory => Path.Combine(root, "tmp");

    private string TrashDirectory => Path.Combine(root, "trash");

    public Task<IReadOnlyList<string>> ListSetIdsAsync(string kindFolder, CancellationToken cancellationToken)
    {
        var directory = PathOf(kindFolder);
        IReadOnlyList<string> ids = Directory.Exists(directory)
            ? [.. Directory.EnumerateDirectories(directory).Select(Path.GetFileName).OfType<string>().Where(BackupSetId.IsValid).Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult(ids);
    }

    public bool SetExists(string folder) => Directory.Exists(PathOf(folder));

    public Task<IReadOnlyList<string>> ListFoldersAsync(string folder, CancellationToken cancellationToken)
    {
        var directory = PathOf(folder);
        IReadOnlyList<string> names = Directory.Exists(directory)
            ? [.. Directory.EnumerateDirectories(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult(names);
    }

    public Task<IReadOnlyList<string>> ListKeysAsync(string folder, CancellationToken cancellationToken)
    {
        var directory = PathOf(folder);
        IReadOnlyList<string> keys = Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(path => !FileSystem.IsTemporary(Path.GetFileName(path)))
                .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult(keys);
    }

    public async Task<byte[]?> ReadAllAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Stream OpenRead(string folder, string name)
    {
        var path = ContainedPath.Resolve(PathOf(folder), name, followsLast: true);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, StoredFile.BufferSize, FileOptions.SequentialScan);
    }

    public long? SizeOf(string key)
    {
        var info = new FileInfo(PathOf(key));
        return info.Exists ? info.Length : null;
    }

    public ObjectWriter Create(string key)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileWriter(path, FileSystem.TemporaryBeside(path));
    }

    public Task WriteAllAsync(string key, byte[] content, CancellationToken cancellationToken)
    {
        FileSystem.WriteAtomically(PathOf(key), content);
        return Task.CompletedTask;
    }

    public SetWriter BeginSet(string folder, string work)
    {
        Directory.CreateDirectory(work);
        return new StagedSet(work, PathOf(folder));
    }

    public bool RemoveSet(string folder)
    {
        var directory = PathOf(folder);
        if (!Directory.Exists(directory))
        {
            return false;
        }

        Directory.CreateDirectory(TrashDirectory);
        var trashed = Path.Combine(TrashDirectory, $"{folder.Replace('/', '-')}-{Guid.NewGuid():N}");
        Directory.Move(directory, trashed);
        FileSystem.SyncDirectory(Path.GetDirectoryName(directory)!);
        foreach (var leftover in Directory.EnumerateDirectories(TrashDirectory))
        {
            Directory.Delete(leftover, recursive: true);
        }

        return true;
    }

    public void Delete(string key) => File.Delete(PathOf(key));

    public Task<IReadOnlyList<string>> ListLeftoversAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public void RemoveLeftover(string leftover) => throw new InvalidOperationException("a local repository's leftovers are under tmp/");

    private string PathOf(string key) => Path.Combine(root, key);
}
