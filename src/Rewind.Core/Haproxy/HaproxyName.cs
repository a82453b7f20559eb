using System.Text.RegularExpressions;

namespace Rewind.Core.Haproxy;

/// <summary>
/// The backend and server names Rewind puts into runtime API commands. HAProxy reads a command line up to a newline
/// and splits commands on ';', so a name is limited to letters, digits and <c>. _ : -</c>: nothing taken from input can
/// end the command or start a second one.
/// </summary>
public static partial class HaproxyName
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <exception cref="ArgumentException">The name is empty or has a character outside <c>[A-Za-z0-9._:-]</c>.</exception>
    public static void Require(string? name, string paramName)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid HAProxy name: use only letters, digits and . _ : -", paramName);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]+\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
