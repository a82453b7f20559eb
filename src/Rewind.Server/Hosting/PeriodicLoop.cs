
namespace Rewind.Server.Hosting;

/// <summary>When a run's tick was due and when the run started: how late the loop itself is.</summary>
internal sealed record LoopTick(DateTimeOffset Due, DateTimeOffset Started)
{
    public TimeSpan Lag => Started > Due ? Started - Due : TimeSpan.Zero;
}

/// <summary>
/// The loop every watcher runs: once now, then on every tick, until the host stops; one failed run is reported and the
/// next tick comes anyway. Ticks fall on a fixed grid from the start (no drift); a run that overran its interval is
/// followed at once by one run for the ticks it missed, as a <see cref="PeriodicTimer"/> would. Each run is told when
/// its tick was due, so a watcher can measure how late the controller itself runs. While the store is unavailable a
/// failed run is reported once a minute, in one line (<see cref="StoreOutageLog"/>).
/// </summary>
internal static class PeriodicLoop
{
    public static Task RunAsync(TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> body, Action<Exception> onError, CancellationToken stoppingToken) =>
        RunAsync(interval, time, (_, cancellationToken) => body(cancellationToken), onError, stoppingToken);

    public static async Task RunAsync(TimeSpan interval, TimeProvider time, Func<LoopTick, CancellationToken, Task> body, Action<Exception> onError, CancellationToken stoppingToken)
    {
        var due = time.GetUtcNow();
        var outage = new StoreOutageLog(time);
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetUtcNow();
            try
            {
                await body(new LoopTick(due, started), stoppingToken);
                outage.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (outage.Filter(ex) is { } shown)
                {
                    onError(shown);
                }
            }

            due = NextDue(due, started, interval);
            if (!await WaitAsync(due - time.GetUtcNow(), time, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>The first tick of the grid after <paramref name="due"/> that had not passed when the run started: ticks missed while late are one tick, not many.</summary>
    internal static DateTimeOffset NextDue(DateTimeOffset due, DateTimeOffset started, TimeSpan interval)
    {
        var next = due + interval;
        if (next > started)
        {
            return next;
        }

        var missed = (started - due).Ticks / interval.Ticks;
        return due + (interval * (missed + 1));
    }

    private static async Task<bool> WaitAsync(TimeSpan wait, TimeProvider time, CancellationToken stoppingToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return !stoppingToken.IsCancellationRequested;
        }

        try
        {
            await Task.Delay(wait, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
