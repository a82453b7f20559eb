using System.Collections.Concurrent;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Quick verification of a repository: every stored file of the checked sets (base backups, dumps, file sets, and the
/// WAL archive) is read back, decrypted, decompressed and compared with its manifest checksum, in parallel across files
/// (an incremental set's unchanged files in the set that holds them, each stored object once); the WAL chain from each
/// set's first segment to the newest archived one is checked for gaps; ages are compared with their limits. Everything
/// found is a finding in the report, never an exception.
/// </summary>
public sealed partial class BackupVerifier
{
    private readonly BackupRepository _repository;
    private readonly TimeProvider _timeProvider;

    public BackupVerifier(BackupRepository repository, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async Task<VerificationReport> VerifyAsync(VerificationRequest? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new VerificationRequest();
        var started = _timeProvider.GetTimestamp();
        var findings = new ConcurrentQueue<VerificationFinding>();
        var sets = await ReadSetsAsync(request, findings, cancellationToken);
        var wal = await _repository.ListWalAsync(cancellationToken);
        var work = CollectWork(sets, request.CheckWalContent ? wal : [], findings);
        var (dumps, fileSets) = await CollectSetWorkAsync(request, work, findings, cancellationToken);
        long bytes = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _repository.FileParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(work.OrderByDescending(item => item.StoredSize), parallel, (item, token) =>
        {
            if (CheckFile(item, token) is { } finding)
            {
                foreach (var each in ForEverySet(item, finding))
                {
                    findings.Enqueue(each);
                }
            }

            Interlocked.Add(ref bytes, item.Size);
            return ValueTask.CompletedTask;
        });

        var gaps = CheckChain(sets, wal, findings);
        var (backupAge, walAge) = CheckAges(request, sets, wal, findings);
        return new VerificationReport(
            [.. findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Subject, StringComparer.Ordinal)],
            [.. sets.Select(set => set.SetId)],
            work.Count(item => !item.Subject.StartsWith("wal/", StringComparison.Ordinal)),
            bytes,
            request.CheckWalContent ? work.Count(item => item.Subject.StartsWith("wal/", StringComparison.Ordinal)) : 0,
            gaps,
            backupAge,
            walAge,
            _timeProvider.GetElapsedTime(started))
        {
            DumpsChecked = dumps,
            FileSetsChecked = fileSets,
        };
    }

    private List<CheckedFile> CollectWork(
        List<BackupManifest> sets, IReadOnlyList<WalEntry> wal, ConcurrentQueue<VerificationFinding> findings)
    {
        var work = CollectBaseWork(sets, findings);

        foreach (var entry in wal.Where(entry => KeyUsable($"wal/{entry.Name}", entry.KeyId, findings)))
        {
            var timeline = WalFileName.TryParse(entry.Name)?.Timeline ?? 0;
            work.Add(new CheckedFile($"wal/{entry.Name}", BackupRepository.WalFolder(timeline), BackupRepository.WalStoredName(entry), entry.Size, entry.Sha256, entry.StoredSize, entry.Compression, entry.Encrypted));
        }

        return work;
    }

    private (TimeSpan? Backup, TimeSpan? Wal) CheckAges(VerificationRequest request, List<BackupManifest> sets, IReadOnlyList<WalEntry> wal, ConcurrentQueue<VerificationFinding> findings)
    {
        var now = _timeProvider.GetUtcNow();
        TimeSpan? backupAge = sets.Count > 0 ? now - sets.Max(set => set.Finished) : null;
        TimeSpan? walAge = wal.Count > 0 ? now - wal.Max(entry => entry.Archived) : null;
        if (request.SetId is null && sets.Count == 0 && request.RequireBaseBackup)
        {
            findings.Enqueue(new VerificationFinding(FindingSeverity.Error, "sets", $"no base backup in {_repository.Root}"));
        }

        if (backupAge > request.MaxBackupAge)
        {
            findings.Enqueue(new VerificationFinding(FindingSeverity.Error, "sets", $"the newest backup is {Describe(backupAge.Value)} old; the limit is {Describe(request.MaxBackupAge.Value)}"));
        }

        if (request.MaxWalAge is { } maxWalAge && (walAge is null || walAge > maxWalAge))
        {
            findings.Enqueue(new VerificationFinding(FindingSeverity.Error, "wal", walAge is null ? "no WAL archived" : $"the newest archived WAL is {Describe(walAge.Value)} old; the limit is {Describe(maxWalAge)}"));
        }

        return (backupAge, walAge);
    }

    private async Task<List<BackupManifest>> ReadSetsAsync(VerificationRequest request, ConcurrentQueue<VerificationFinding> findings, CancellationToken cancellationToken)
    {
        var sets = new List<BackupManifest>();
        foreach (var id in request.SetId is { } only ? (IsSetOf(SetKind.Dump, only) || IsSetOf(SetKind.Files, only) ? [] : [only]) : await _repository.ListSetIdsAsync(cancellationToken))
        {
            if (await _repository.ReadSetAsync(id, cancellationToken) is { } manifest)
            {
                sets.Add(manifest);
            }
            else
            {
                findings.Enqueue(new VerificationFinding(FindingSeverity.Error, id, "the set's manifest is missing or unreadable"));
            }
        }

        return sets;
    }

    /// <summary>Whether the configured key can read files written with <paramref name="keyId"/>; a finding for the subject when not.</summary>
    private bool KeyUsable(string subject, string? keyId, ConcurrentQueue<VerificationFinding> findings)
    {
        if (keyId is null || _repository.Options.Key?.Id == keyId)
        {
            return true;
        }

        findings.Enqueue(new VerificationFinding(FindingSeverity.Error, subject, _repository.Options.Key is { } key
            ? $"encrypted with key {keyId}, but the given key is {key.Id}: wrong key"
            : $"encrypted with key {keyId} and no key was given"));
        return false;
    }

    private static string Describe(TimeSpan age) => age.TotalHours >= 1 ? $"{age.TotalHours:F1} h" : $"{age.TotalMinutes:F0} min";
}
