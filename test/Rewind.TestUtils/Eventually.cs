namespace Rewind.TestUtils;

/// <summary>Waits for a condition with a deadline, looking every 100 ms; never "sleep a bit and hope".</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string what)
        where T : class
    {
        var until = DateTime.UtcNow + deadline;
        Exception? last = null;
        while (DateTime.UtcNow < until)
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

            await Task.Delay(100); // ten looks a second: most looks are API calls to a controller that has work of its own
        }

        throw new TimeoutException($"timed out after {deadline.TotalSeconds}s waiting for {what}" + (last is null ? "" : $"; last error: {last.Message}"));
    }

    public static Task WaitAsync(Func<Task<bool>> condition, TimeSpan deadline, string what) =>
        WaitAsync<object>(async () => await condition() ? new object() : null, deadline, what);
}
