using System.Security.Cryptography;

namespace Rewind.Runtime.Tests.Support;

/// <summary>
/// Everything beneath a directory, walked without following links, one line per entry (path, kind, mode, and a file's
/// SHA-256 or a link's target): two snapshots are equal exactly when nothing beneath was written, created or removed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class TreeSnapshot
{
    public static IReadOnlyList<string> Of(string directory)
    {
        var lines = new List<string>();
        var pending = new Stack<string>([directory]);
        while (pending.TryPop(out var current))
        {
            foreach (var entry in new DirectoryInfo(current).EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(directory, entry.FullName);
                if (entry.LinkTarget is { } target)
                {
                    lines.Add($"{relative} -> {target}");
                }
                else if (entry is DirectoryInfo)
                {
                    lines.Add($"{relative}/ {entry.UnixFileMode}");
                    pending.Push(entry.FullName);
                }
                else
                {
                    lines.Add($"{relative} {entry.UnixFileMode} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry.FullName)))}");
                }
            }
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }
}
