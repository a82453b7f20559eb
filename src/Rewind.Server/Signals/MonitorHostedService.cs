using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Leadership;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Engine.Policies;
using Rewind.Engine.Shares;
using Rewind.Engine.Signals;
using Rewind.Runtime.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// Runs the probes of the components this replica watches (its <see cref="WatchShare"/>: all of them with SQLite), each
/// on its own interval, records each sample and, on the leader, hands it to the decision engine; the leader reads the
/// samples other replicas write from the store (<see cref="SharedSamplesHostedService"/>). One failing loop never stops
/// another. A probe a host's agent runs (<c>host:</c>) is not run here: <see cref="HostProbeHostedService"/> feeds its samples.
/// </summary>
internal sealed class MonitorHostedService(
    ConfigHolder config,
    IProbe probe,
    IStore store,
    StoreWrites writes,
    HealthBoard board,
    DecisionEngine engine,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger<MonitorHostedService> logger, Leadership leadership, WatchShare share) : BackgroundService
{
    private readonly StoreOutageLog _outage = new(time);

    /// <summary>
    /// The probes of the watched components in the config in force; a reload that changes any of their probes, or a
    /// change of the components watched, starts them again on the new schedules.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!leadership.Shared)
        {
            await leadership.WaitForTermAsync(stoppingToken); // the one controller leads at once: its first samples are decided on too
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var watched = share.Current;
            using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var running = config.FollowAsync(c => Watched(c, watched), (current, cancellationToken) => Task.WhenAll(Watched(current, watched)
                .SelectMany(c => c.Value.Where(p => p.Value.Host is null).Select(p => RunProbeAsync(c.Key, p.Key, p.Value, cancellationToken)))), run.Token);
            await Task.WhenAny(running, watched.Replaced);
            await run.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
                // the components watched changed, or the host stops
            }
        }
    }

    private static Dictionary<string, Dictionary<string, ProbeConfig>> Watched(RewindConfig config, WatchSet watched) =>
        config.Components.Where(c => watched.Components.Contains(c.Key)).ToDictionary(x => x.Key, x => x.Value.Probes, StringComparer.Ordinal);

    private Task RunProbeAsync(string component, string name, ProbeConfig probeConfig, CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(probeConfig.Interval, time, async (tick, cancellationToken) =>
        {
            if (!share.Watches(component))
            {
                return; // the share lapsed (this process was paused, say): another replica may watch it by now
            }

            if (leadership.Term is { } term)
            {
                WriteFence.Enter(term); // the leader writes its samples as its term, as it does its decisions
            }

            var sample = await probe.RunAsync(component, name, probeConfig, cancellationToken);
            sample = leadership.Shared ? sample with { Replica = leadership.Replica } : sample;
            board.Monitor.Record(ProbeRun.Of(sample, tick.Due, probeConfig.Interval, probeConfig.Timeout));
            metrics.ProbeScheduleLag.Observe(tick.Lag.TotalSeconds, "probe");
            board.Update(sample, probeConfig.FailureThreshold);
            metrics.ProbeSamples.Inc(component, name, sample.Success ? "pass" : "fail");
            await WriteAsync(sample, cancellationToken);
            await DecideAsync(sample, cancellationToken);
        }, ex => ServerLog.MonitorLoopFailed(logger, ex, component, name), stoppingToken);

    /// <summary>
    /// Writes the sample and tells the monitor's health how long the store took, also when it failed. A sample the store
    /// refuses (its disk full, say) is kept in memory only: the decision never waits on it (see <see cref="StoreWrites"/>).
    /// </summary>
    private async Task WriteAsync(ProbeSample sample, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await writes.TryAsync("samples", () => store.AddSampleAsync(sample, cancellationToken), cancellationToken);
        }
        finally
        {
            var took = time.GetElapsedTime(started);
            board.Monitor.RecordStoreWrite(time.GetUtcNow(), took);
            metrics.StoreWriteDuration.Observe(took.TotalSeconds);
        }
    }

    /// <summary>On the leader only, fenced by its term: another replica's samples reach the leader through the store.</summary>
    private async Task DecideAsync(ProbeSample sample, CancellationToken stoppingToken)
    {
        if (leadership.Term is not { } term)
        {
            return;
        }

        WriteFence.Enter(term); // this call and what it starts write as this term, and only while it lasts
        using var acting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term.Ended);
        try
        {
            await engine.ObserveAsync(sample, acting.Token);
        }
        catch (Exception) when (acting.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // the term ended meanwhile: the fence refused what was under way
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            if (_outage.Filter(ex) is { } shown)
            {
                ServerLog.DecisionFailed(logger, shown, sample.Component);
            }
        }
    }
}
