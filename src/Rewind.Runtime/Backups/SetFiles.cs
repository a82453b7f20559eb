using System.Collections.Concurrent;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>Stores many files into a set directory: largest first, in parallel, each hashed, compressed and encrypted.</summary>
internal static class SetFiles
{
    /// <summary>
    /// Stores every source into <paramref name="set"/> under <paramref name="folder"/> (keeping its relative path) and returns the manifest
    /// entries sorted by path, with the relative paths of sources that vanished before they could be read.
    /// </summary>
    public static async Task<(IReadOnlyList<ManifestFile> Files, IReadOnlyList<string> Vanished)> StoreAsync(
        IReadOnlyList<(string Relative, FileInfo Info)> sources, SetWriter set, string folder, StorageSettings settings, int parallelism, CancellationToken cancellationToken)
    {
        var files = new ConcurrentBag<ManifestFile>();
        var vanished = new ConcurrentBag<string>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(sources.OrderByDescending(source => source.Info.Length), parallel, (source, token) =>
        {
            var stored = folder + "/" + BackupRepository.StoredName(source.Relative, settings.Compression, settings.Key is not null);
            StoredFacts facts;
            try
            {
                using var input = new FileStream(source.Info.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
                using var output = set.Create(stored);
                facts = StoredFile.Write(input, output, settings, token);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                vanished.Add(source.Relative);
                return ValueTask.CompletedTask;
            }

            files.Add(new ManifestFile(
                source.Relative,
                facts.Size,
                facts.Sha256,
                facts.StoredSize,
                settings.Compression,
                settings.Key is not null,
                (int)source.Info.UnixFileMode,
                new DateTimeOffset(source.Info.LastWriteTimeUtc, TimeSpan.Zero)));
            return ValueTask.CompletedTask;
        });

        return ([.. files.OrderBy(file => file.Path, StringComparer.Ordinal)], [.. vanished.Order(StringComparer.Ordinal)]);
    }
}
