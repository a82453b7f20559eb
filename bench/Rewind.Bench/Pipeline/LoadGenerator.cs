using System.Diagnostics;

namespace Rewind.Bench.Pipeline;

/// <summary>
/// Steady user traffic: GET / at a fixed rate on an open-loop schedule (a slow answer does not delay the next
/// request), at most <see cref="MaxInFlight"/> outstanding; a request that would exceed it is counted as dropped.
/// </summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private const int MaxInFlight = 64;
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private readonly CancellationTokenSource _stop = new();
    private readonly Uri _target;
    private readonly double _perSecond;
    private readonly Task _loop;
    private long _ok;
    private long _serverErrors;
    private long _failed;
    private long _dropped;

    public LoadGenerator(Uri target, double perSecond)
    {
        _target = target;
        _perSecond = perSecond;
        _loop = Task.Run(RunAsync);
    }

    public long Ok => Interlocked.Read(ref _ok);

    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    /// <summary>Requests that got no answer (connection refused during a restart, timeouts).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public long Dropped => Interlocked.Read(ref _dropped);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        for (var i = 0; i < MaxInFlight; i++)
        {
            await _inFlight.WaitAsync();
        }

        _http.Dispose();
        _inFlight.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        for (long n = 0; !_stop.IsCancellationRequested; n++)
        {
            var due = TimeSpan.FromSeconds(n / _perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (!_inFlight.Wait(0))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            _ = SendAsync();
        }
    }

    private async Task SendAsync()
    {
        try
        {
            using var response = await _http.GetAsync(_target);
            Interlocked.Increment(ref (int)response.StatusCode >= 500 ? ref _serverErrors : ref _ok);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
