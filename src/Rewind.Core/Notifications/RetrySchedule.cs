namespace Rewind.Core.Notifications;

/// <summary>
/// When an undelivered notification is tried again: 1 s, 2 s, 4 s … doubling per failed attempt, capped at 5 minutes,
/// each spread by ±20 % jitter so that many controllers (or many channels) that failed together do not retry together.
/// The schedule is durable (the next attempt's time is stored with the message), so it is data, not a sleep loop.
/// </summary>
public static class RetrySchedule
{
    public static TimeSpan First { get; } = TimeSpan.FromSeconds(1);

    public static TimeSpan Cap { get; } = TimeSpan.FromMinutes(5);

    /// <param name="failedAttempts">Attempts that failed so far, at least 1.</param>
    /// <param name="jitter">A number in [0, 1): 0.5 means no jitter.</param>
    public static TimeSpan Delay(int failedAttempts, double jitter)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var baseDelay = Math.Min(First.TotalMilliseconds * Math.Pow(2, exponent), Cap.TotalMilliseconds);
        var spread = baseDelay * (0.8 + (0.4 * Math.Clamp(jitter, 0, 1)));
        return TimeSpan.FromMilliseconds(Math.Min(spread, Cap.TotalMilliseconds));
    }
}
