using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class NearMissTests
{
    [Theory]
    [InlineData("wbe", "web")]
    [InlineData("WEB", "web")]
    [InlineData("chekout", "checkout")]
    [InlineData("checkuot", "checkout")]
    [InlineData("db", null)]
    [InlineData("payments", null)]
    public void Closest_TypoOfOneOrTwoLetters_IsTheNameMeant(string typed, string? meant)
    {
        NearMiss.Closest(typed, ["web", "checkout", "api"]).ShouldBe(meant);
    }
}
