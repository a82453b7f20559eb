namespace Rewind.Runtime.Processes;

/// <summary>
/// Finds the file a command's first word names, before it is handed to <c>setsid</c>: a missing or non-executable
/// program is then a start error, as it was when the runner started it directly, rather than an exit code of setsid's.
/// </summary>
internal static class Executables
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// The full path, or why there is none. A name with a slash is a path (relative to the controller's directory); a
    /// bare name is looked up in the controller's <c>PATH</c>, as execvp(3) does.
    /// </summary>
    public static (string? Path, string? Error) Resolve(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            var path = System.IO.Path.GetFullPath(name);
            return IsExecutable(path) ? (path, null) : (null, File.Exists(path) ? "Permission denied" : "No such file or directory");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                return (candidate, null);
            }
        }

        return (null, "No such file or directory (not found in PATH)");
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            return !OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & AnyExecute) != UnixFileMode.None;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
