namespace Rewind.Storage.Runbooks;

/// <summary>Bounds what a step's output may take in the store; the tail is kept because that is where failures are told.</summary>
internal static class StepOutput
{
    /// <summary>At most 64 KiB characters per step.</summary>
    public const int MaxLength = 64 * 1024;

    private const string Marker = "[earlier output truncated]\n";

    public static string? Bound(string? output)
    {
        if (output is null)
        {
            return null;
        }

        // PostgreSQL text cannot hold NUL; a process may still print one.
        var text = output.Replace('\0', '\uFFFD');
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var start = text.Length - (MaxLength - Marker.Length);
        if (char.IsLowSurrogate(text[start]))
        {
            start++;
        }

        return Marker + text[start..];
    }
}
