using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class LsnTests
{
    [Theory]
    [InlineData("0/700028", 0x700028UL)]
    [InlineData("1/A0000000", 0x1_A000_0000UL)]
    [InlineData("FFFFFFFF/FFFFFFFF", ulong.MaxValue)]
    public void Parse_PostgresNotation_RoundTrips(string text, ulong value)
    {
        var lsn = Lsn.Parse(text);

        lsn.Value.ShouldBe(value);
        lsn.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("700028")]
    [InlineData("/700028")]
    [InlineData("0/")]
    [InlineData("0/xyz")]
    public void TryParse_NotAPosition_Fails(string text)
    {
        Lsn.TryParse(text, out _).ShouldBeFalse();
    }
}
