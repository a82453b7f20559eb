using System.Diagnostics;

namespace Rewind.Bench.Scale;

/// <summary>
/// Asks the target for its health every 250 ms on a connection of its own while a run lasts, so that a failure the
/// controller reports can be told from a target that really did not answer.
/// </summary>
internal sealed class TargetWatch : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TargetWatch(string url)
    {
        _loop = Task.Run(() => LoopAsync(new Uri(url)));
    }

    public int Answered { get; private set; }

    public int Failed { get; private set; }

    public double SlowestMs { get; private set; }

    public static async Task WaitHealthyAsync(string url, TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not up yet
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{url} did not answer within {limit.TotalSeconds:0} s");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task LoopAsync(Uri url)
    {
        while (!_stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await _http.GetAsync(url, _stop.Token);
                var body = await response.Content.ReadAsStringAsync(_stop.Token);
                if (response.IsSuccessStatusCode && body.Contains("\"status\":\"ok\"", StringComparison.Ordinal))
                {
                    Answered++;
                }
                else
                {
                    Failed++;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Failed++;
            }

            SlowestMs = Math.Max(SlowestMs, clock.Elapsed.TotalMilliseconds);
            try
            {
                await Task.Delay(Every, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
