using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rewind.Runtime.Notifications;

/// <summary>
/// How a webhook receiver knows a message is Rewind's and fresh: HMAC-SHA256, keyed with the shared secret, over
/// <c>TIMESTAMP + "." + BODY</c> (the <c>X-Rewind-Timestamp</c> header, Unix seconds, then the raw body bytes), sent as
/// <c>X-Rewind-Signature: sha256=HEX</c> in lower-case hex. Signing the timestamp lets receivers refuse replays.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Rewind-Signature";
    public const string TimestampHeader = "X-Rewind-Timestamp";
    public const string DeliveryHeader = "X-Rewind-Delivery";
    public const string EventHeader = "X-Rewind-Event";

    /// <summary><c>sha256=</c> and the lower-case hex HMAC of <c>timestamp.body</c>.</summary>
    public static string Sign(byte[] secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, signed));
    }

    /// <summary>What a receiver does, in constant time.</summary>
    public static bool Verify(byte[] secret, string timestamp, ReadOnlySpan<byte> body, string signature) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, seconds, body)), Encoding.ASCII.GetBytes(signature));
}
