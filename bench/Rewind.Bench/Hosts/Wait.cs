using System.Diagnostics;
using Rewind.Client;

namespace Rewind.Bench.Hosts;

/// <summary>Waits for a condition with a deadline: no fixed sleeps as synchronisation.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<string>? context = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < HostsWorld.Deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RewindApiException or IOException)
            {
                // not yet
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"hosts benchmark: timed out waiting for {what}{(context is null ? "" : "\n" + context())}");
    }

    public static void Check(this bool value, string what)
    {
        if (!value)
        {
            throw new InvalidOperationException($"hosts benchmark: {what} failed");
        }
    }
}
