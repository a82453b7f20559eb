using System.Text.RegularExpressions;

namespace Rewind.Core.Releases;

/// <summary>A version becomes a directory name and an argv element, so only a safe alphabet is accepted.</summary>
public static partial class ReleaseVersion
{
    public static bool IsValid(string? version) => version is not null && Pattern().IsMatch(version);

    /// <summary>A schema id (a migration's id) goes into argv elements too (<c>{{target.schema}}</c>).</summary>
    public static bool IsValidSchema(string? schema) => schema is not null && SchemaPattern().IsMatch(schema);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SchemaPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
