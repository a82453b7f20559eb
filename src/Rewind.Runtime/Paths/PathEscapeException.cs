namespace Rewind.Runtime.Paths;

/// <summary>
/// A path from a manifest would leave its root (<see cref="ContainedPath"/>): the manifest is corrupt or was tampered
/// with, or a symbolic link now lies on the way. Raised only where the manifest was already checked, just before the
/// path is used, so that nothing is ever done outside the root; an <see cref="IOException"/>, handled like one.
/// </summary>
public sealed class PathEscapeException : IOException
{
    public PathEscapeException()
    {
    }

    public PathEscapeException(string message)
        : base(message)
    {
    }

    public PathEscapeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PathEscapeException(string root, string entry, string problem)
        : base($"the manifest entry '{entry}' {problem}: it would leave {root}; refused")
    {
        Root = root;
        Entry = entry;
        Problem = problem;
    }

    /// <summary>The directory the entry must stay in.</summary>
    public string? Root { get; }

    /// <summary>The entry as the manifest names it.</summary>
    public string? Entry { get; }

    /// <summary>Why it would leave the root.</summary>
    public string? Problem { get; }
}
