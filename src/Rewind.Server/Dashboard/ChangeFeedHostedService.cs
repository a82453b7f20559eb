using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Dashboard;

/// <summary>
/// While someone follows the event stream, reads a <see cref="ChangeSnapshot"/> every <see cref="Interval"/> (at once
/// when poked) and publishes a notice for each entry that changed; new samples are announced at most once per
/// <see cref="SignalsEvery"/> per component. Nobody listening: nothing is read.
/// </summary>
internal sealed class ChangeFeedHostedService(ChangeFeed feed, IStore store, ConfigHolder config, HealthBoard board, TimeProvider time, ILogger<ChangeFeedHostedService> logger) : BackgroundService
{
    private readonly StoreOutageLog _outage = new(time);

    /// <summary>How often the store is read while streams are open. Default 250 ms: a change is on screen well within 1 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>Charts are redrawn at most this often per component. Default 1 s.</summary>
    public static readonly TimeSpan SignalsEvery = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, DateTimeOffset> _signalsSent = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ChangeSnapshot? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            await feed.WaitAsync(Interval, stoppingToken);
            if (!feed.HasSubscribers)
            {
                last = null; // the first reader after a quiet time starts from a fresh picture
                continue;
            }

            try
            {
                var now = await ChangeSnapshot.ReadAsync(store, config, board, stoppingToken);
                if (last is not null)
                {
                    Publish(last, now);
                }

                last = now;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (_outage.Filter(ex) is { } shown)
                {
                    DashboardLog.ChangeFeedFailed(logger, shown);
                }
            }
        }
    }

    private void Publish(ChangeSnapshot before, ChangeSnapshot now)
    {
        foreach (var (key, fingerprint) in now.Entries)
        {
            if (!before.Entries.TryGetValue(key, out var was) || !string.Equals(was, fingerprint, StringComparison.Ordinal))
            {
                feed.Publish(key.Kind, key.Id);
            }
        }

        var at = time.GetUtcNow();
        foreach (var (component, newest) in now.NewestSamples)
        {
            if (before.NewestSamples.GetValueOrDefault(component) != newest && at - _signalsSent.GetValueOrDefault(component) >= SignalsEvery)
            {
                _signalsSent[component] = at;
                feed.Publish("signals", component);
            }
        }
    }
}
