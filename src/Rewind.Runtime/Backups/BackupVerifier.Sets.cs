using System.Collections.Concurrent;
using Rewind.Core.Backups;
using Rewind.Runtime.Paths;

namespace Rewind.Runtime.Backups;

public sealed partial class BackupVerifier
{
    /// <summary>
    /// Adds every stored file of the dump sets and file sets (or of the one named by <see cref="VerificationRequest.SetId"/>)
    /// to <paramref name="work"/>; a set whose manifest is unreadable, or that the key cannot read, is a finding instead.
    /// </summary>
    private async Task<(IReadOnlyList<string> Dumps, IReadOnlyList<string> FileSets)> CollectSetWorkAsync(
        VerificationRequest request,
        List<CheckedFile> work,
        ConcurrentQueue<VerificationFinding> findings,
        CancellationToken cancellationToken)
    {
        var dumps = new List<string>();
        foreach (var id in await IdsToCheckAsync(SetKind.Dump, request.SetId, cancellationToken))
        {
            if (await _repository.ReadDumpAsync(id, cancellationToken) is not { } dump)
            {
                findings.Enqueue(new VerificationFinding(FindingSeverity.Error, $"dumps/{id}", "the dump's manifest is missing or unreadable"));
            }
            else if (KeyUsable($"dumps/{id}", dump.KeyId, findings))
            {
                dumps.Add(id);
                work.AddRange(Contained($"dumps/{id}", dump.Files, findings).Select(file => CheckedFile.Of($"dumps/{id}/{file.Path}", BackupRepository.DataFolderOf(SetKind.Dump, id), file)));
            }
        }

        var fileSets = new List<string>();
        foreach (var id in await IdsToCheckAsync(SetKind.Files, request.SetId, cancellationToken))
        {
            if (await _repository.ReadFileSetAsync(id, cancellationToken) is not { } set)
            {
                findings.Enqueue(new VerificationFinding(FindingSeverity.Error, $"files/{id}", "the file set's manifest is missing or unreadable"));
            }
            else if (KeyUsable($"files/{id}", set.KeyId, findings))
            {
                fileSets.Add(id);
                work.AddRange(Contained($"files/{id}", set.Files, findings).Select(file => CheckedFile.Of($"files/{id}/{file.Path}", BackupRepository.DataFolderOf(SetKind.Files, id), file)));
            }
        }

        return (dumps, fileSets);
    }

    /// <summary>
    /// The files of a manifest whose paths stay beneath the set's directory; any other (a tampered manifest) is an error
    /// finding and is never read.
    /// </summary>
    private static IEnumerable<ManifestFile> Contained(string subject, IEnumerable<ManifestFile> files, ConcurrentQueue<VerificationFinding> findings)
    {
        foreach (var file in files)
        {
            if (ContainedPath.TextProblem(file.Path) is { } problem)
            {
                findings.Enqueue(new VerificationFinding(FindingSeverity.Error, $"{subject}/{file.Path}", $"the manifest entry {problem}: the set is corrupt; not read"));
            }
            else
            {
                yield return file;
            }
        }
    }

    /// <summary>Every set of <paramref name="kind"/>, or only <paramref name="only"/> when it is one of that kind.</summary>
    private async Task<IReadOnlyList<string>> IdsToCheckAsync(SetKind kind, string? only, CancellationToken cancellationToken) =>
        only is null ? await _repository.ListIdsAsync(kind, cancellationToken) : IsSetOf(kind, only) ? [only] : [];

    private bool IsSetOf(SetKind kind, string id) => BackupSetId.IsValid(id) && _repository.Objects.SetExists(BackupRepository.SetFolder(kind, id));
}
