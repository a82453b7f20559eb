using System.Collections.Concurrent;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

public sealed partial class BackupVerifier
{
    /// <summary>
    /// The stored files of the checked base backups, each read from the set that holds it (an incremental's unchanged
    /// files from the earlier set named by <see cref="ManifestFile.StoredIn"/>), each stored object once however many sets
    /// name it: a failure is reported for every set that names it. An incremental whose holding set is missing is an
    /// error finding naming both sets, and its files there are not read; a missing parent that holds none of its files is a warning.
    /// </summary>
    private List<CheckedFile> CollectBaseWork(List<BackupManifest> sets, ConcurrentQueue<VerificationFinding> findings)
    {
        var work = new Dictionary<string, CheckedFile>(StringComparer.Ordinal);
        var present = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool Present(string id) => present.TryGetValue(id, out var known) ? known
            : present[id] = BackupSetId.IsValid(id) && _repository.Objects.SetExists(BackupRepository.SetFolder(SetKind.Base, id));
        foreach (var set in sets.Where(set => KeyUsable(set.SetId, set.KeyId, findings)))
        {
            var missing = set.HoldingSets.Where(holder => !Present(holder)).ToHashSet(StringComparer.Ordinal);
            foreach (var holder in missing)
            {
                findings.Enqueue(new VerificationFinding(FindingSeverity.Error, set.SetId, $"set {holder}, which holds {set.Files.Count(f => f.StoredIn == holder)} file(s) of this incremental set, is missing: the set cannot be restored"));
            }

            if (set.Parent is { } parent && !missing.Contains(parent) && !Present(parent))
            {
                findings.Enqueue(new VerificationFinding(FindingSeverity.Warning, set.SetId, $"its parent set {parent} is missing (it holds none of this set's files, which still restores)"));
            }

            foreach (var file in Contained(set.SetId, set.Files, findings).Where(file => file.StoredIn is null || !missing.Contains(file.StoredIn)))
            {
                var item = CheckedFile.Of($"{set.SetId}/{file.Path}", BackupRepository.DataFolderOf(SetKind.Base, file.HeldBy(set.SetId)), file) with { HeldBy = file.StoredIn };
                var key = $"{item.Folder}/{item.Name} {item.Sha256} {item.StoredSize}";
                if (work.TryGetValue(key, out var first))
                {
                    first.Referrers.Add(item);
                }
                else
                {
                    work[key] = item;
                }
            }
        }

        return [.. work.Values];
    }

    /// <summary>A finding of a checked file, for its subject and for every other set naming the same stored object.</summary>
    private static IEnumerable<VerificationFinding> ForEverySet(CheckedFile file, VerificationFinding finding) =>
        new[] { file }.Concat(file.Referrers).Select(item => item.HeldBy is { } holder
            ? finding with { Subject = item.Subject, Message = $"{finding.Message} (stored in set {holder})" }
            : finding with { Subject = item.Subject });
}
