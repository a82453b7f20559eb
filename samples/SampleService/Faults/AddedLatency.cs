namespace SampleService.Faults;

/// <summary>Waits at least the added latency, which is what a probe or a latency alert will be tested against.</summary>
internal static class AddedLatency
{
    /// <summary>Timers run on a coarse clock and can wake a few milliseconds early, so the rest is waited out too.</summary>
    public static async Task WaitAsync(TimeSpan latency, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        for (var left = latency; left > TimeSpan.Zero; left = latency - timeProvider.GetElapsedTime(started))
        {
            await Task.Delay(left, timeProvider, cancellationToken);
        }
    }
}
