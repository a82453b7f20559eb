using System.Text.RegularExpressions;

namespace Rewind.Core.Backups;

/// <summary>
/// The names a logical dump or restore accepts: plain database names, and table and schema names that need no quoting
/// in SQL, so a name can never change the meaning of a command or leave a directory.
/// </summary>
public static partial class PostgresNames
{
    /// <summary>Letters, digits, '_', '-', '.'; not starting with '-' or '.'; at most 63 characters.</summary>
    public static bool IsDatabase(string? name) => name is not null && Database().IsMatch(name);

    /// <summary>An unquoted SQL identifier: a letter or '_', then letters, digits, '_' or '$'; at most 63 characters.</summary>
    public static bool IsIdentifier(string? name) => name is not null && Identifier().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Database();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_$]{0,62}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Identifier();
}
