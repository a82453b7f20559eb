namespace Rewind.Core.Backups;

/// <summary>How bad one verification finding is: an error means a restore from this repository could fail or lose data.</summary>
public enum FindingSeverity
{
    Warning,
    Error,
}

/// <summary>What a verification found wrong, e.g. <c>Error, "wal/00000001", "missing 0000000100000000000000070..."</c>.</summary>
/// <param name="Severity">Error when a restore could fail or lose data, warning otherwise.</param>
/// <param name="Subject">What the finding is about: a set id, a file path inside a set, a WAL file name or a timeline.</param>
/// <param name="Message">What is wrong, with the numbers that show it.</param>
public sealed record VerificationFinding(FindingSeverity Severity, string Subject, string Message)
{
    public override string ToString() => $"{(Severity == FindingSeverity.Error ? "error" : "warning")}: {Subject}: {Message}";
}

/// <summary>Everything a verification found, never thrown: an empty <see cref="Findings"/> list is a pass.</summary>
/// <param name="Findings">Everything found, errors first.</param>
/// <param name="SetsChecked">The ids of the sets whose files were checked.</param>
/// <param name="FilesChecked">How many stored files of base backups, dumps and file sets were read back and compared.</param>
/// <param name="BytesChecked">Plain bytes read back (sets and WAL).</param>
/// <param name="WalFilesChecked">How many archived WAL files were read back and compared.</param>
/// <param name="WalGaps">Missing runs of WAL segments, also listed in <paramref name="Findings"/>.</param>
/// <param name="NewestBackupAge">Age of the newest set, <see langword="null"/> when there is none.</param>
/// <param name="NewestWalAge">Age of the newest archived WAL file, <see langword="null"/> when there is none.</param>
/// <param name="Duration">How long the verification took.</param>
public sealed record VerificationReport(
    IReadOnlyList<VerificationFinding> Findings,
    IReadOnlyList<string> SetsChecked,
    int FilesChecked,
    long BytesChecked,
    int WalFilesChecked,
    IReadOnlyList<WalGap> WalGaps,
    TimeSpan? NewestBackupAge,
    TimeSpan? NewestWalAge,
    TimeSpan Duration)
{
    public bool Passed => Findings.All(finding => finding.Severity != FindingSeverity.Error);

    /// <summary>The ids of the dump sets whose files were checked.</summary>
    public IReadOnlyList<string> DumpsChecked { get; init; } = [];

    /// <summary>The ids of the file backup sets whose files were checked.</summary>
    public IReadOnlyList<string> FileSetsChecked { get; init; } = [];
}
