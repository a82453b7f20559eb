using System.Text;
using System.Text.RegularExpressions;

namespace Rewind.Runtime.Signals;

/// <summary>The <c>body-matches</c> check: the body, read as UTF-8, must match the pattern. A pattern too slow to decide fails.</summary>
internal static class BodyCheck
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public static string? Check(byte[] body, string? pattern)
    {
        if (pattern is null)
        {
            return null;
        }

        try
        {
            return Regex.IsMatch(Encoding.UTF8.GetString(body), pattern, RegexOptions.None, MatchTimeout) ? null : $"body does not match {pattern}";
        }
        catch (RegexMatchTimeoutException)
        {
            return $"body match for {pattern} took over {MatchTimeout.TotalMilliseconds:0} ms";
        }
    }
}
