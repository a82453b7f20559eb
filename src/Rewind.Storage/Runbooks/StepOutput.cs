namespace Rewind.Storage.Runbooks;

/// <summary>Bounds what a step's output may take in the store; the tail is kept because that is where failures are told.</summary>
internal static class StepOutput
{
    /// <summary>At most 64 KiB characters per step.</summary>
    public const int MaxLength = 64 * 1024;

    private const string Marker = "[earlier output truncated]\n";

    public static string? Bound(string? output) =>
        output is null || output.Length <= MaxLength ? Storable(output) : Marker + Tail(output, MaxLength - Marker.Length);

    /// <summary>The last <paramref name="maxLength"/> characters at most, storable, never starting inside a surrogate pair.</summary>
    public static string? Tail(string? output, int maxLength)
    {
        if (output is null || output.Length <= maxLength)
        {
            return Storable(output);
        }

        var start = output.Length - maxLength;
        if (char.IsLowSurrogate(output[start]))
        {
            start++;
        }

        return Storable(output[start..]);
    }

    // PostgreSQL text cannot hold NUL; a process may still print one.
    private static string? Storable(string? text) => text?.Replace('\0', '\uFFFD');
}
