using System.Collections.Concurrent;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

public sealed partial class BackupVerifier
{
    private VerificationFinding? CheckFile(CheckedFile file, CancellationToken cancellationToken)
    {
        var subject = file.Subject;
        try
        {
            var actualStored = _repository.Objects.SizeOf($"{file.Folder}/{file.Name}") ?? throw new FileNotFoundException(null, file.Name);
            if (actualStored != file.StoredSize)
            {
                return new VerificationFinding(FindingSeverity.Error, subject, $"stored size is {actualStored} bytes, the manifest says {file.StoredSize}: truncated or overwritten");
            }

            var (actualSize, actualSha256) = StoredFile.Read(_repository.Objects.OpenRead(file.Folder, file.Name), file.Compression, file.Encrypted, _repository.Options.Key, null, cancellationToken);
            return actualSize == file.Size && actualSha256 == file.Sha256
                ? null
                : new VerificationFinding(FindingSeverity.Error, subject, $"checksum mismatch: content is {actualSize} bytes, sha256 {actualSha256}; the manifest says {file.Size} bytes, sha256 {file.Sha256}");
        }
        catch (FileNotFoundException)
        {
            return new VerificationFinding(FindingSeverity.Error, subject, "the stored file is missing");
        }
        catch (BackupIntegrityException ex)
        {
            return new VerificationFinding(FindingSeverity.Error, subject, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new VerificationFinding(FindingSeverity.Error, subject, "cannot read: " + ex.Message);
        }
    }

    /// <summary>
    /// Gaps in the WAL each checked set needs: on the set's timeline from its first segment to the newest archived one
    /// (at least to the set's last segment); on every later timeline from its first archived segment to its newest.
    /// </summary>
    private static List<WalGap> CheckChain(List<BackupManifest> sets, IReadOnlyList<WalEntry> wal, ConcurrentQueue<VerificationFinding> findings)
    {
        var segments = wal.Select(entry => WalFileName.TryParse(entry.Name)).OfType<WalFileName>()
            .Where(name => name.Kind == WalFileKind.Segment).Select(name => name.Segment!.Value).ToList();
        var gaps = new List<WalGap>();
        if (sets.Count == 0)
        {
            return gaps;
        }

        var segmentSize = sets[^1].WalSegmentSize;
        var starts = sets.GroupBy(set => set.Timeline)
            .Select(group => (Start: WalSegmentName.Parse(group.Min(set => set.WalStart)!), End: (WalSegmentName?)WalSegmentName.Parse(group.Max(set => set.WalStop)!)))
            .ToList();
        var firstTimeline = starts.Min(start => start.Start.Timeline);
        starts.AddRange(segments.Where(segment => segment.Timeline > firstTimeline && starts.TrueForAll(start => start.Start.Timeline != segment.Timeline))
            .GroupBy(segment => segment.Timeline)
            .Select(group => (Start: group.Min(), End: (WalSegmentName?)null)));
        foreach (var (start, end) in starts.OrderBy(start => start.Start))
        {
            foreach (var gap in WalChain.FindGaps(start, segments, segmentSize, end))
            {
                gaps.Add(gap);
                findings.Enqueue(new VerificationFinding(FindingSeverity.Error, $"wal/{WalFileName.FormatTimeline(start.Timeline)}", $"{gap}: recovery cannot replay past {gap.First}"));
            }
        }

        return gaps;
    }
}

/// <summary>One stored file a verification reads: what it is called in findings, where it is, and what its manifest says.</summary>
internal sealed record CheckedFile(string Subject, string Folder, string Name, long Size, string Sha256, long StoredSize, StoredCompression Compression, bool Encrypted)
{
    /// <summary>The set holding the bytes when it is not the subject's own (an incremental's referenced file).</summary>
    public string? HeldBy { get; init; }

    /// <summary>Other sets' entries naming the same stored object: checked once, reported for each.</summary>
    public List<CheckedFile> Referrers { get; } = [];

    public static CheckedFile Of(string subject, string folder, ManifestFile file) =>
        new(subject, folder, BackupRepository.StoredName(file.Path, file.Compression, file.Encrypted), file.Size, file.Sha256, file.StoredSize, file.Compression, file.Encrypted);
}
