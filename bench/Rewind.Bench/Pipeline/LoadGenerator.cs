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
    private long _markerSeenTicks;
    private volatile string? _marker;

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

    /// <summary>When an answer whose body contains the <see cref="WatchFor"/> text first arrived.</summary>
    public DateTimeOffset? MarkerSeenAt => Interlocked.Read(ref _markerSeenTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Notes the first answer containing <paramref name="text"/>, e.g. the first answer of a new release.</summary>
    public void WatchFor(string text)
    {
        Interlocked.Exchange(ref _markerSeenTicks, 0);
        _marker = text;
    }

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
            var body = await response.Content.ReadAsStringAsync();
            var at = DateTimeOffset.UtcNow;
            Interlocked.Increment(ref (int)response.StatusCode >= 500 ? ref _serverErrors : ref _ok);
            if (_marker is { } marker && body.Contains(marker, StringComparison.Ordinal))
            {
                Interlocked.CompareExchange(ref _markerSeenTicks, at.UtcTicks, 0);
            }
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
