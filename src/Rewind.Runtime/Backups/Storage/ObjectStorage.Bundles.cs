using System.Collections.Concurrent;
using System.Text.Json;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Bundles: in object storage every request costs a network round trip (and money), and a cluster is mostly small files
/// (an empty one has about 900 under 64 KiB). So a set's objects that are at most <see cref="ObjectStorageOptions.BundleLimit"/>
/// once stored go into bundle objects of about <see cref="ObjectStorageOptions.BundleSize"/> (<c>&lt;set&gt;/bundles/N</c>),
/// and <c>&lt;set&gt;/bundles.json</c>, written before the manifest, says where each one is. Reads and sizes of such an
/// object are answered from its bundle, fetched once per set read; what is above the storage layer sees keys as before.
/// </summary>
internal sealed partial class ObjectStorage
{
    internal const string BundleIndexName = "bundles.json";

    /// <summary>Each set's index (<see langword="null"/>: the set has no bundles), read once per repository object: a published set never changes.</summary>
    private readonly ConcurrentDictionary<string, Lazy<BundleIndex?>> _indexes = new(StringComparer.Ordinal);

    /// <summary>Bundles being read, each fetched once and dropped when every object in it has been read.</summary>
    private readonly ConcurrentDictionary<string, Lazy<byte[]>> _bundles = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, int> _unread = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, long?> _bundleSizes = new(StringComparer.Ordinal);

    /// <summary>The bundle holding <paramref name="key"/> and where, or <see langword="null"/> when it is an object of its own.</summary>
    private BundledObject? FindInBundle(string key)
    {
        var parts = key.Split('/', 3);
        if (parts.Length < 3 || !SetFolders.Contains(parts[0]) || parts[2] == ManifestName || parts[2] == BundleIndexName)
        {
            return null;
        }

        var folder = $"{parts[0]}/{parts[1]}";
        var index = _indexes.GetOrAdd(folder, f => new Lazy<BundleIndex?>(() => ReadIndex(f))).Value;
        return index is not null && index.Members.TryGetValue(parts[2], out var member) ? new BundledObject(key, $"{folder}/bundles/{member.Bundle}", index, member) : null;
    }

    private BundleIndex? ReadIndex(string folder)
    {
        var json = Wait(() => ReadAllAsync($"{folder}/{BundleIndexName}", CancellationToken.None));
        try
        {
            return json is null ? null : BackupJson.Deserialize<BundleIndex>(json);
        }
        catch (JsonException ex)
        {
            throw new BackupIntegrityException($"{Location}/{folder}/{BundleIndexName} is unreadable: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The stored size of a bundled object: its length in the index while its bundle is there with the size the index
    /// gives it (one HEAD per bundle), else <see langword="null"/>, as for a missing object.
    /// </summary>
    private long? BundledSizeOf(BundledObject found)
    {
        var expected = found.Member.Bundle < found.Index.Bundles.Count ? found.Index.Bundles[found.Member.Bundle] : -1;
        var actual = _bundleSizes.GetOrAdd(found.Bundle, bundle => Wait(() => HeadAsync(bundle, CancellationToken.None)));
        return actual == expected ? found.Member.Length : null;
    }

    /// <summary>One object read out of its bundle: the bundle is fetched by the first reader, the others wait for it.</summary>
    private MemoryStream ReadFromBundle(BundledObject found)
    {
        var (key, bundle, index, member) = found;
        var bytes = _bundles.GetOrAdd(bundle, b => new Lazy<byte[]>(() => FetchBundle(b, key))).Value;
        if (member.Offset + member.Length > bytes.Length)
        {
            throw new BackupIntegrityException($"{Location}/{key}: its bundle {bundle} holds {bytes.Length} bytes, the index puts it at {member.Offset}+{member.Length}");
        }

        if (_unread.AddOrUpdate(bundle, _ => index.Members.Values.Count(m => m.Bundle == member.Bundle) - 1, (_, left) => left - 1) <= 0)
        {
            _bundles.TryRemove(bundle, out _);
            _unread.TryRemove(bundle, out _);
        }

        return new MemoryStream(bytes, (int)member.Offset, (int)member.Length, writable: false);
    }

    private byte[] FetchBundle(string bundle, string forKey)
    {
        try
        {
            return Wait(() => ReadAllAsync(bundle, CancellationToken.None))
                ?? throw new FileNotFoundException($"{Location}/{forKey} does not exist: its bundle {bundle} is missing", forKey);
        }
        catch (IOException)
        {
            _bundles.TryRemove(bundle, out _); // a failed fetch is not kept: the next reader tries again
            throw;
        }
    }

    /// <summary>An object kept in a bundle: its key, the bundle's key, the set's index and where in the bundle it is.</summary>
    private sealed record BundledObject(string Key, string Bundle, BundleIndex Index, BundleMember Member);

    /// <summary>Where one small object is: bundle number, offset and stored length.</summary>
    internal sealed record BundleMember(int Bundle, long Offset, long Length);

    /// <summary><c>bundles.json</c>: every bundled object of a set by its key relative to the set, and each bundle's size.</summary>
    internal sealed record BundleIndex(IReadOnlyList<long> Bundles, IReadOnlyDictionary<string, BundleMember> Members)
    {
        public int Format { get; init; } = 1;
    }

    /// <summary>
    /// Collects a set's small objects into bundles: each committed small object is appended to the open bundle, which is
    /// uploaded once it reaches the bundle size; <see cref="Finish"/> uploads the last and returns the index.
    /// </summary>
    private sealed class Bundler(ObjectStorage storage, string folder, ConcurrentBag<string> written) : IDisposable
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, BundleMember> _members = new(StringComparer.Ordinal);
        private readonly List<long> _sizes = [];
        private MemoryStream _open = new();

        public void Add(string relative, ReadOnlySpan<byte> stored)
        {
            (int Number, MemoryStream Full)? full = null;
            lock (_lock)
            {
                _members[relative] = new BundleMember(_sizes.Count, _open.Length, stored.Length);
                _open.Write(stored);
                if (_open.Length >= storage._options.BundleSize)
                {
                    full = (_sizes.Count, _open);
                    _sizes.Add(_open.Length);
                    _open = new MemoryStream();
                }
            }

            if (full is { } bundle)
            {
                Upload(bundle.Number, bundle.Full);
            }
        }

        /// <summary>Uploads the last bundle; the index, or <see langword="null"/> when no object went into a bundle.</summary>
        public BundleIndex? Finish()
        {
            if (_members.Count == 0)
            {
                return null;
            }

            if (_open.Length > 0)
            {
                _sizes.Add(_open.Length);
                Upload(_sizes.Count - 1, _open);
            }

            return new BundleIndex([.. _sizes], new Dictionary<string, BundleMember>(_members, StringComparer.Ordinal));
        }

        public void Dispose() => _open.Dispose();

        private void Upload(int number, MemoryStream bundle)
        {
            var key = $"{folder}/bundles/{number}";
            written.Add(key);
            try
            {
                Wait(() => storage.PutAsync(key, bundle.GetBuffer(), (int)bundle.Length, CancellationToken.None));
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                throw storage.Failure("upload", key, ex);
            }
            finally
            {
                bundle.Dispose();
            }
        }
    }

    /// <summary>
    /// An object of a set: held in memory while it is small, and on commit added to the set's bundle; once it outgrows the
    /// bundle limit, streamed up as an object of its own like any other.
    /// </summary>
    private sealed class BundlingWriter(ObjectStorage storage, string key, string relative, Bundler bundler) : ObjectWriter
    {
        private MemoryStream? _small = new();
        private UploadWriter? _own;

        public override void Commit()
        {
            if (_own is not null)
            {
                _own.Commit();
            }
            else
            {
                bundler.Add(relative, _small!.GetBuffer().AsSpan(0, (int)_small.Length));
            }
        }

        protected override void WriteCore(ReadOnlySpan<byte> buffer)
        {
            if (_own is not null)
            {
                _own.Write(buffer);
                return;
            }

            _small!.Write(buffer);
            if (_small.Length > storage._options.BundleLimit)
            {
                _own = new UploadWriter(storage, key);
                _own.Write(_small.GetBuffer().AsSpan(0, (int)_small.Length));
                _small = null;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _own?.Dispose();
                _small?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
