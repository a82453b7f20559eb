using System.Text.RegularExpressions;

namespace Rewind.Server.Releases;

/// <summary>A version becomes a directory name and an argv element, so only a safe alphabet is accepted.</summary>
internal static partial class ReleaseVersion
{
    public static bool IsValid(string? version) => version is not null && Pattern().IsMatch(version);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
