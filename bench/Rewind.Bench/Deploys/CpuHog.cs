using Rewind.Bench.Pipeline;

namespace Rewind.Bench.Deploys;

/// <summary>
/// <c>stress-ng --cpu 2</c> from Debian's packages, saturating both cores for <c>on</c>, then idle for <c>off</c>, over
/// and over until disposed. Disposing (or the end of this process, however it ends) kills it.
/// </summary>
internal sealed class CpuHog : IAsyncDisposable
{
    public const string Binary = "/usr/bin/stress-ng";
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DateTimeOffset From, DateTimeOffset? To)> _periods = [];
    private readonly List<double> _loads = [];
    private readonly string _log;
    private readonly Task _loop;
    private readonly Task _sampler;

    public CpuHog(string root, TimeSpan on, TimeSpan off)
    {
        _log = Path.Combine(root, "stress-ng.log");
        _loop = Task.Run(() => CycleAsync(on, off, _stop.Token));
        _sampler = Task.Run(() => SampleLoadAsync(_stop.Token));
    }

    /// <summary>When the hog ran: each period from its start to its end (null while it still runs).</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset? To)> Periods
    {
        get
        {
            lock (_periods)
            {
                return [.. _periods];
            }
        }
    }

    /// <summary>The host's 1-minute load average, read every 5 s while the hog cycles (other work on the host counts too).</summary>
    public IReadOnlyList<double> LoadAverages
    {
        get
        {
            lock (_loads)
            {
                return [.. _loads];
            }
        }
    }

    public bool WasOn(DateTimeOffset at) => Periods.Any(p => p.From <= at && (p.To is not { } to || at <= to));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _sampler;
        _stop.Dispose();
    }

    private async Task CycleAsync(TimeSpan on, TimeSpan off, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await DelayAsync(off, cancellationToken))
            {
                return;
            }

            var peer = PeerProcess.Start("stress-ng", Binary, ["--cpu", "2", "--quiet"], _log);
            lock (_periods)
            {
                _periods.Add((DateTimeOffset.UtcNow, null));
            }

            try
            {
                await DelayAsync(on, cancellationToken);
            }
            finally
            {
                await peer.DisposeAsync();
                lock (_periods)
                {
                    _periods[^1] = (_periods[^1].From, DateTimeOffset.UtcNow);
                }
            }
        }
    }

    private async Task SampleLoadAsync(CancellationToken cancellationToken)
    {
        while (await DelayAsync(TimeSpan.FromSeconds(5), cancellationToken))
        {
            var fields = (await File.ReadAllTextAsync("/proc/loadavg", CancellationToken.None)).Split(' ');
            if (double.TryParse(fields[0], System.Globalization.CultureInfo.InvariantCulture, out var load))
            {
                lock (_loads)
                {
                    _loads.Add(load);
                }
            }
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
