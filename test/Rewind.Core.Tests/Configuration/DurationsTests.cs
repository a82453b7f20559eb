using Rewind.Core.Configuration;

namespace Rewind.Core.Tests.Configuration;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("3s", 3_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("5m", 300_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    public void TryParse_OperatorSpelling_GivesTheDuration(string text, double milliseconds)
    {
        Durations.TryParse(text, out var value).ShouldBeTrue();
        value.TotalMilliseconds.ShouldBe(milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5")]
    [InlineData("5 minutes")]
    [InlineData("-1s")]
    [InlineData("3sx")]
    public void TryParse_NotADuration_IsRejected(string text) => Durations.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData(400, "400ms")]
    [InlineData(2_500, "2.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(7_200_000, "2h")]
    public void Format_ReadsLikeTheConfig(double milliseconds, string expected) =>
        Durations.Format(TimeSpan.FromMilliseconds(milliseconds)).ShouldBe(expected);
}
