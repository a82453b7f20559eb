using Rewind.Core.Notifications;

namespace Rewind.Core.Tests.Notifications;

public sealed class RetryAndRateLimitTests
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(9, 256_000)]
    [InlineData(10, 300_000)]
    [InlineData(1000, 300_000)]
    public void Delay_WithoutJitter_DoublesUpToFiveMinutes(int attempts, int milliseconds)
    {
        RetrySchedule.Delay(attempts, 0.5).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Fact]
    public void Delay_Jitter_SpreadsByTwentyPercentAndNeverPassesTheCap()
    {
        RetrySchedule.Delay(3, 0).ShouldBe(TimeSpan.FromMilliseconds(3200));
        RetrySchedule.Delay(3, 0.999999).TotalMilliseconds.ShouldBe(4800, 0.01);
        RetrySchedule.Delay(20, 0.999999).ShouldBe(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void TryAcquire_BeyondTheLimit_WaitsUntilTheOldestSendLeavesTheWindow()
    {
        var limiter = new RateLimiter(2, TimeSpan.FromSeconds(10));
        var t0 = DateTimeOffset.UnixEpoch;

        limiter.TryAcquire(t0, out _).ShouldBeTrue();
        limiter.TryAcquire(t0.AddSeconds(4), out _).ShouldBeTrue();
        limiter.TryAcquire(t0.AddSeconds(5), out var wait).ShouldBeFalse();
        wait.ShouldBe(TimeSpan.FromSeconds(5));
        limiter.TryAcquire(t0.AddSeconds(10), out _).ShouldBeTrue();
        limiter.TryAcquire(t0.AddSeconds(11), out wait).ShouldBeFalse();
        wait.ShouldBe(TimeSpan.FromSeconds(3));
    }
}
