using System.Text.RegularExpressions;

namespace Rewind.Core.Backups;

/// <summary>
/// The names of the restore points Rewind makes on its own: when a release is first recorded, and before a rollback
/// starts. A restore to "just before release X" or "just before rollback RB-…" goes to one of them.
/// </summary>
public static partial class RestorePointNames
{
    public static string ForRelease(string component, string version) => Name($"rewind-release-{component}-{version}");

    public static string BeforeRollback(string rollbackId) => Name($"rewind-before-{rollbackId}");

    /// <summary>PostgreSQL keeps at most 63 bytes of a restore point's name; characters other than these are replaced.</summary>
    private static string Name(string text)
    {
        var clean = Unsafe().Replace(text, "_");
        return clean.Length <= 63 ? clean : clean[..63];
    }

    [GeneratedRegex("[^A-Za-z0-9._:-]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Unsafe();
}
