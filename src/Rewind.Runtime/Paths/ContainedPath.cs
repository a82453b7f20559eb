namespace Rewind.Runtime.Paths;

/// <summary>
/// A path read from a manifest, relative to the root it must stay in: a restore's destination, a declared directory, the
/// directory of a stored copy. A manifest is a file on disk and can be tampered with, so such a path is checked twice.
/// As text, before anything changes (<see cref="TextProblem"/>): not empty, not absolute, no NUL, no empty, <c>.</c> or
/// <c>..</c> part. On disk, as it is used (<see cref="Resolve"/>): no part below the root on the way to it is a symbolic
/// link, a link made earlier by the same restore included, so nothing is ever read, written, created or removed through
/// a link. The root itself is trusted and taken as given.
/// </summary>
/// <remarks>
/// On Unix only '/' separates parts: a backslash is an ordinary character of a name there and cannot climb out, so a
/// name holding one stays beneath the root as that name. On Windows '\' separates parts too.
/// </remarks>
public static class ContainedPath
{
    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>Why <paramref name="relative"/> cannot name a place beneath a root (e.g. "climbs out with '..'"), or <see langword="null"/> when it can.</summary>
    public static string? TextProblem(string? relative)
    {
        if (string.IsNullOrEmpty(relative))
        {
            return "is empty";
        }

        if (relative.Contains('\0', StringComparison.Ordinal))
        {
            return "holds a NUL character";
        }

        if (Path.IsPathRooted(relative) || relative.IndexOfAny(Separators) == 0)
        {
            return "is absolute";
        }

        foreach (var part in relative.Split(Separators))
        {
            switch (part)
            {
                case "":
                    return "has an empty part";
                case ".":
                    return "has a '.' part";
                case "..":
                    return "climbs out with '..'";
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="relative"/> beneath <paramref name="root"/> would leave it on disk now, or <see langword="null"/>:
    /// a part on the way is a symbolic link; with <paramref name="followsLast"/> (a read, a mode change: calls that follow
    /// a link) the last part may not be one either. A rename over, a removal or a creation never follows the last part.
    /// </summary>
    public static string? DiskProblem(string root, string relative, bool followsLast = false)
    {
        if (TextProblem(relative) is { } problem)
        {
            return problem;
        }

        var parts = relative.Split(Separators);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Join(current, parts[i]);
            var last = i == parts.Length - 1;
            if (last && !followsLast)
            {
                break;
            }

            if (new FileInfo(current).LinkTarget is { } target)
            {
                return last
                    ? $"is a symbolic link (to {target})"
                    : $"lies beneath the symbolic link '{string.Join('/', parts[..(i + 1)])}' (to {target})";
            }

            if (!Path.Exists(current))
            {
                break; // nothing further exists: it is created as directories, never through a link
            }
        }

        return null;
    }

    /// <summary>
    /// The full path of <paramref name="relative"/> beneath <paramref name="root"/>, checked as text and on disk just before
    /// it is used; throws <see cref="PathEscapeException"/> when it would leave the root.
    /// </summary>
    public static string Resolve(string root, string relative, bool followsLast = false) =>
        DiskProblem(root, relative, followsLast) is { } problem
            ? throw new PathEscapeException(root, relative, problem)
            : Path.Join(root, relative);
}
