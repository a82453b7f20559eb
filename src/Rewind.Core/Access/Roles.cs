using System.Text.RegularExpressions;

namespace Rewind.Core.Access;

/// <summary>
/// The built-in roles and what they grant. <c>admin</c> grants everything; <c>operator</c> changes state (records
/// releases, rolls back, declares maintenance, works incidents); <c>approver</c> approves; every role, custom ones
/// such as <c>tech-lead</c> included, may read. Custom roles mean something only in an authorisation matrix.
/// </summary>
public static partial class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Approver = "approver";
    public const string Admin = "admin";

    public static IReadOnlyList<string> BuiltIn { get; } = [Viewer, Operator, Approver, Admin];

    /// <summary>Whether someone holding <paramref name="held"/> may act as <paramref name="needed"/>.</summary>
    public static bool Grants(IEnumerable<string> held, string needed)
    {
        ArgumentNullException.ThrowIfNull(held);
        foreach (var role in held)
        {
            if (string.Equals(role, needed, StringComparison.Ordinal) || string.Equals(role, Admin, StringComparison.Ordinal) || string.Equals(needed, Viewer, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A role name: lower-case letters, digits and '-', starting with a letter (e.g. <c>devops-lead</c>).</summary>
    public static bool IsValidName(string role) => RoleName().IsMatch(role);

    /// <summary>A user name: lower-case letters, digits, '.', '_', '-' and '@', starting with a letter or digit.</summary>
    public static bool IsValidUserName(string name) => UserName().IsMatch(name);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RoleName();

    [GeneratedRegex("^[a-z0-9][a-z0-9._@-]{0,63}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UserName();
}
