using OtpNet;

namespace Rewind.Core.Access;

/// <summary>
/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1, 30 s steps, 6 digits), the second factor
/// authenticator apps speak, and the RFC 4648 base32 their secrets are written in. The codes and base32 come from
/// Otp.NET; the rules Rewind adds are here: one step of clock drift either way, and a step used once is spent.
/// </summary>
public static class Totp
{
    public const int Digits = 6;
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>A new 160-bit secret, base32.</summary>
    public static string NewSecret() => ToBase32(KeyGeneration.GenerateRandomKey(20));

    /// <summary>The time step a moment falls in.</summary>
    public static long StepOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    /// <summary>The code of one time step (RFC 4226 dynamic truncation).</summary>
    public static string Code(byte[] secret, long step, int digits = Digits) =>
        new Hotp(secret, OtpHashMode.Sha1, digits).ComputeHOTP(step);

    /// <summary>
    /// The step whose code <paramref name="code"/> is, within one step of <paramref name="at"/> (clock drift), and later
    /// than <paramref name="lastUsedStep"/> (a code is good once); null when it is none.
    /// </summary>
    public static long? Verify(string base32Secret, string code, DateTimeOffset at, long lastUsedStep = long.MinValue)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length != Digits || !code.All(char.IsAsciiDigit) || FromBase32(base32Secret) is not { } secret)
        {
            return null;
        }

        // Step by step rather than Otp.NET's window, so that a spent step is skipped and a later one still matches.
        var hotp = new Hotp(secret, OtpHashMode.Sha1, Digits);
        var now = StepOf(at);
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (step > lastUsedStep && hotp.VerifyHotp(code, step))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>The <c>otpauth://</c> URI an authenticator app enrols from (as a QR code or pasted).</summary>
    public static string ProvisioningUri(string issuer, string account, string base32Secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={base32Secret}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={(int)Step.TotalSeconds}";

    /// <summary>Base32 without padding, as authenticator apps and <c>otpauth://</c> URIs write it.</summary>
    public static string ToBase32(ReadOnlySpan<byte> data) =>
        data.IsEmpty ? string.Empty : Base32Encoding.ToString(data.ToArray()).TrimEnd('=');

    /// <summary>Decodes base32 (case-insensitive, padding and spaces ignored); null when it is not base32.</summary>
    public static byte[]? FromBase32(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('=');
        if (compact.Length == 0 || compact.Any(c => !char.IsAsciiLetter(c) && c is < '2' or > '7'))
        {
            return null;
        }

        var bytes = Base32Encoding.ToBytes(compact);
        return bytes.Length == 0 ? null : bytes;
    }
}
