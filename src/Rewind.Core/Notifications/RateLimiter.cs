namespace Rewind.Core.Notifications;

/// <summary>
/// At most <c>count</c> sends per sliding window <c>per</c>. A send beyond it is not refused for good: the caller is
/// told how long to wait, and the message waits in the outbox.
/// </summary>
public sealed class RateLimiter(int count, TimeSpan per)
{
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly Lock _lock = new();

    /// <summary>Takes a slot at <paramref name="now"/>, or returns false and how long until one frees.</summary>
    public bool TryAcquire(DateTimeOffset now, out TimeSpan wait)
    {
        lock (_lock)
        {
            while (_sent.Count > 0 && now - _sent.Peek() >= per)
            {
                _sent.Dequeue();
            }

            if (_sent.Count < count)
            {
                _sent.Enqueue(now);
                wait = TimeSpan.Zero;
                return true;
            }

            wait = _sent.Peek() + per - now;
            return false;
        }
    }
}
