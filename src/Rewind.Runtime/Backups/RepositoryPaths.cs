namespace Rewind.Runtime.Backups;

/// <summary>Whether two paths overlap: one is the other or lies beneath it, after normalising and resolving symbolic links of existing parts.</summary>
internal static class RepositoryPaths
{
    public static bool Overlap(string path, string other)
    {
        var (a, b) = (Resolve(path), Resolve(other));
        return a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal) || a.Length == 0 || b.Length == 0;
    }

    /// <summary>The full path without a trailing '/', with the longest existing prefix's links resolved ("" for the root).</summary>
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        var existing = full;
        var rest = "";
        while (existing.Length > 0 && !Directory.Exists(existing))
        {
            rest = "/" + Path.GetFileName(existing) + rest;
            existing = Path.GetDirectoryName(existing)?.TrimEnd('/') ?? "";
        }

        var real = existing.Length == 0 ? "" : (new DirectoryInfo(existing).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? existing).TrimEnd('/');
        return real + rest;
    }
}
