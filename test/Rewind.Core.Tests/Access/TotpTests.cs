using System.Text;
using Rewind.Core.Access;

namespace Rewind.Core.Tests.Access;

/// <summary>RFC 6238 appendix B and RFC 4648 section 10 test vectors, and the rules around them.</summary>
public sealed class TotpTests
{
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Code_Rfc6238Sha1Vectors(long unixSeconds, string expected)
    {
        Totp.Code(RfcSecret, Totp.StepOf(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)), digits: 8).ShouldBe(expected);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_Rfc4648Vectors(string plain, string encoded)
    {
        Totp.ToBase32(Encoding.ASCII.GetBytes(plain)).ShouldBe(encoded);
        if (plain.Length > 0)
        {
            Encoding.ASCII.GetString(Totp.FromBase32(encoded.ToLowerInvariant() + "==")!).ShouldBe(plain);
        }
    }

    [Fact]
    public void Verify_AcceptsOneStepOfDriftOnceAndRefusesTheRest()
    {
        var secret = Totp.NewSecret();
        var now = new DateTimeOffset(2026, 11, 22, 3, 0, 10, TimeSpan.Zero);
        var step = Totp.StepOf(now);
        var bytes = Totp.FromBase32(secret)!;

        Totp.Verify(secret, Totp.Code(bytes, step), now).ShouldBe(step);
        Totp.Verify(secret, Totp.Code(bytes, step - 1), now).ShouldBe(step - 1); // the phone's clock is a little behind
        Totp.Verify(secret, Totp.Code(bytes, step + 2), now).ShouldBeNull(); // too far ahead
        Totp.Verify(secret, Totp.Code(bytes, step), now, lastUsedStep: step).ShouldBeNull(); // a code is good once
        Totp.Verify(secret, Totp.Code(bytes, step), now, lastUsedStep: step - 1).ShouldBe(step); // a spent step does not spend the next
        Totp.Verify(secret.ToLowerInvariant(), Totp.Code(bytes, step), now).ShouldBe(step);
        Totp.Verify(secret, "12345", now).ShouldBeNull();
        Totp.Verify(secret, "abcdef", now).ShouldBeNull();
        Totp.Verify("not base32!", "123456", now).ShouldBeNull();
    }

    [Fact]
    public void ProvisioningUri_IsWhatAuthenticatorAppsRead()
    {
        Totp.ProvisioningUri("Rewind", "alice@example.com", "JBSWY3DPEHPK3PXP")
            .ShouldBe("otpauth://totp/Rewind:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Rewind&algorithm=SHA1&digits=6&period=30");
    }
}
