namespace Rewind.Runtime.Backups;

/// <summary>Whether two paths overlap: one is the other or lies beneath it, after normalising and resolving the symbolic links of their existing parts.</summary>
internal static class RepositoryPaths
{
    public static bool Overlap(string path, string other)
    {
        var (a, b) = (Resolve(path), Resolve(other));
        return a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal) || a.Length == 0 || b.Length == 0;
    }

    /// <summary>The full path without a trailing '/' ("" for the root), each existing directory link on the way resolved.</summary>
    private static string Resolve(string path)
    {
        var resolved = "";
        foreach (var part in Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = resolved + "/" + part;
            resolved = Directory.Exists(next) && new DirectoryInfo(next).ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? target.FullName.TrimEnd('/')
                : next;
        }

        return resolved;
    }
}
