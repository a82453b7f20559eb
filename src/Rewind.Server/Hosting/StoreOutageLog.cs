using Rewind.Storage;

namespace Rewind.Server.Hosting;

/// <summary>
/// Keeps one loop's log readable while the store is down: an error of the store being unavailable
/// (<see cref="StoreFactory.IsUnavailable"/>) is logged as one line without a stack trace, then once every
/// <see cref="Every"/> with the count, instead of on every tick; any other error is logged as it is. The outage itself
/// is the health answer's and the pager's to tell (<see cref="FaultWatch"/>). Thread-safe.
/// </summary>
internal sealed class StoreOutageLog(TimeProvider time)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private DateTimeOffset? _loggedAt;
    private long _failures;

    /// <summary>What to log for <paramref name="error"/>: itself, a one-line summary, or null for nothing now.</summary>
    public Exception? Filter(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!StoreFactory.IsUnavailable(error))
        {
            return error;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            _failures++;
            if (_loggedAt is { } logged && now - logged < Every)
            {
                return null;
            }

            _loggedAt = now;
            var count = _failures == 1 ? "" : $" ({_failures} failures so far)";
            return new StoreUnavailableException($"the store is unavailable: {Innermost(error).Message}{count}; logged once a minute while it lasts");
        }
    }

    /// <summary>A run went through: the next outage is logged at once.</summary>
    public void Succeeded()
    {
        lock (_gate)
        {
            (_loggedAt, _failures) = (null, 0);
        }
    }

    private static Exception Innermost(Exception error) => error.InnerException is { } inner && StoreFactory.IsUnavailable(inner) ? Innermost(inner) : error;
}

/// <summary>The store could not serve; thrown by nobody, logged in place of the driver's exception and its stack trace.</summary>
internal sealed class StoreUnavailableException(string message) : Exception(message);
