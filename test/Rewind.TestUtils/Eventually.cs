namespace Rewind.TestUtils;

/// <summary>Waits for a condition with a deadline, looking every 100 ms; never "sleep a bit and hope".</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string what)
        where T : class
    {
        var time = TimeProvider.System;
        var until = time.GetUtcNow() + deadline;
        Exception? last = null;
        while (time.GetUtcNow() < until)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                last = ex;
            }

            // The one pause tests are allowed: between looks at a condition, under a deadline. Ten looks a second: most
            // looks are API calls to a controller that has work of its own.
#pragma warning disable RS0030
            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
#pragma warning restore RS0030
        }

        throw new TimeoutException($"timed out after {deadline.TotalSeconds}s waiting for {what}" + (last is null ? "" : $"; last error: {last.Message}"));
    }

    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan deadline, string what) =>
        WaitAsync<object>(async () => await condition() ? new object() : null, deadline, what);

    /// <summary>
    /// Waits until the system clock is past <paramref name="moment"/>: for what a real process judges by age (a backup
    /// set older than a retention age, an archived file older than a policy's limit, a later restore target).
    /// </summary>
    public static Task PastAsync(DateTimeOffset moment, string what) =>
        WaitAsync(() => Task.FromResult(TimeProvider.System.GetUtcNow() > moment), moment - TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10), what);
}
