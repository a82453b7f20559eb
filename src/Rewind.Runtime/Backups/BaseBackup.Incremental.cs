using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

public sealed partial class BaseBackup
{
    /// <summary>
    /// The parent of an incremental (<see cref="BackupChains.ChooseParent"/>) among the repository's sets, or why a full
    /// set is taken instead (logged, and said in the result).
    /// </summary>
    private async Task<(BackupManifest? Parent, string? WhyFull)> ChooseParentAsync(string setId, BaseBackupRequest request, uint timeline, string version, CancellationToken cancellationToken)
    {
        var (parent, whyFull) = BackupChains.ChooseParent(await _repository.ListSetsAsync(cancellationToken), timeline, version, _repository.Options.Key?.Id, request.MaxChain);
        if (whyFull is not null)
        {
            LogFullInstead(_logger, setId, whyFull);
        }

        return (parent, whyFull);
    }

    /// <summary>
    /// Splits the staging files into those an incremental references (path, size and SHA-256 equal to the parent's
    /// entry: one read and a hash each, nothing compressed, encrypted or written) and those it stores. A referenced entry
    /// keeps the parent's storage facts and names the set that holds the bytes; mode and modification time are the new copy's.
    /// </summary>
    private async Task<(IReadOnlyList<ManifestFile> Referenced, IReadOnlyList<(string Relative, FileInfo Info)> ToStore)> ReferenceUnchangedAsync(
        IReadOnlyList<(string Relative, FileInfo Info)> sources, BackupManifest parent, CancellationToken cancellationToken)
    {
        var previous = parent.Files.ToDictionary(file => file.Path, StringComparer.Ordinal);
        var referenced = new ConcurrentBag<ManifestFile>();
        var toStore = new ConcurrentBag<(string Relative, FileInfo Info)>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _repository.Options.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(sources, parallel, (source, token) =>
        {
            if (previous.TryGetValue(source.Relative, out var before) && before.Size == source.Info.Length && Hash(source.Info.FullName, token) == before.Sha256)
            {
                referenced.Add(before with
                {
                    Mode = (int)source.Info.UnixFileMode,
                    Modified = new DateTimeOffset(source.Info.LastWriteTimeUtc, TimeSpan.Zero),
                    StoredIn = before.HeldBy(parent.SetId),
                });
            }
            else
            {
                toStore.Add(source);
            }

            return ValueTask.CompletedTask;
        });

        return ([.. referenced], [.. toStore]);
    }

    /// <summary>The SHA-256 of a file's content; a file that vanished hashes to nothing (it is stored, and reported as vanished there).</summary>
    private static string? Hash(string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(StoredFile.BufferSize);
        try
        {
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            int read;
            while ((read = input.Read(buffer, 0, StoredFile.BufferSize)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The result's one line: what was stored and referenced, and why a requested incremental became a full set.</summary>
    private static string Describe(BackupManifest manifest, string? whyFull)
    {
        var stored = manifest.Files.Where(file => file.StoredIn is null).ToList();
        var what = manifest.Type == BackupType.Incremental
            ? $"incremental backup set {manifest.SetId} (parent {manifest.Parent}): {stored.Count} files stored, {stored.Sum(f => f.Size)} bytes ({manifest.TotalStoredSize} stored); {manifest.Files.Count - stored.Count} files referenced, {manifest.ReferencedSize} bytes"
            : $"backup set {manifest.SetId}: {manifest.Files.Count} files, {manifest.TotalSize} bytes ({manifest.TotalStoredSize} stored)";
        return (whyFull is null ? "" : $"incremental requested, full taken: {whyFull}; ") + what + $", WAL {manifest.WalStart}..{manifest.WalStop}";
    }

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Incremental backup set {SetId} on {Parent}: stored {StoredFiles} files ({StoredBytes} bytes), referenced {ReferencedFiles} files ({ReferencedBytes} bytes)")]
    private static partial void LogIncremental(ILogger logger, string setId, string parent, int storedFiles, long storedBytes, int referencedFiles, long referencedBytes);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Incremental backup requested, full backup set {SetId} taken: {Reason}")]
    private static partial void LogFullInstead(ILogger logger, string setId, string reason);
}
