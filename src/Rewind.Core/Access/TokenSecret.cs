using System.Security.Cryptography;
using System.Text;

namespace Rewind.Core.Access;

/// <summary>
/// Making and hashing tokens. A token is 32 random bytes, URL-safe base64, with a prefix that says what it is
/// (<c>rwt_</c> API token, <c>rwp_</c> push token) so a leaked one is recognisable. The store keeps <c>sha256:HEX</c>.
/// </summary>
public static class TokenSecret
{
    public const string ApiPrefix = "rwt_";
    public const string PushPrefix = "rwp_";

    public static string New(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>A short public id for a token (for listing and revoking), never derived from the secret.</summary>
    public static string NewId() => "tok_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
