using System.Globalization;

namespace Rewind.Runtime.Signals;

/// <summary>
/// One answer of a PromQL query: a value, no data (an empty result or NaN: <see cref="Value"/> and
/// <see cref="Error"/> both null), or why there is no answer (<see cref="Error"/>). A failed query is inconclusive,
/// never healthy.
/// </summary>
public sealed record QueryResult(double? Value, string? Error)
{
    /// <summary>The source answered, with a value or with no data.</summary>
    public bool Succeeded => Error is null;

    /// <summary>What the answer was, for logs and evidence: the value, "empty result", "NaN" or the error.</summary>
    public string Description { get; init; } = "";

    internal static QueryResult Of(double value) =>
        new(value, null) { Description = value.ToString("G6", CultureInfo.InvariantCulture) };

    internal static QueryResult NoData(string why) => new(null, null) { Description = why };

    internal static QueryResult Failed(string error) => new(null, error) { Description = error };
}
