using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Leadership;
using Rewind.Core.Signals;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Engine.Policies;
using Rewind.Engine.Shares;
using Rewind.Engine.Signals;
using Rewind.Runtime.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// Runs the probes of the components this replica watches (its <see cref="WatchShare"/>: all of them with SQLite) on a
/// <see cref="ProbeScheduler"/>, records each sample and, on the leader, hands it to the decision engine; the leader reads
/// the samples other replicas write from the store (<see cref="SharedSamplesHostedService"/>). A run the scheduler could
/// not measure is counted and told to the monitor's own health, and nothing else. A probe a host's agent runs
/// (<c>host:</c>) is not run here: <see cref="HostProbeHostedService"/> feeds its samples.
/// </summary>
internal sealed class MonitorHostedService(
    ConfigHolder config,
    IProbe probe,
    SampleWriter writer,
    HealthBoard board,
    DecisionEngine engine,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger<MonitorHostedService> logger, Leadership leadership, WatchShare share) : BackgroundService
{
    private readonly StoreOutageLog _outage = new(time);

    /// <summary>
    /// The probes of the watched components in the config in force; a reload that changes any of their probes or
    /// <c>server.probes</c>, or a change of the components watched, schedules them again (on the same phases).
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
            var running = config.FollowAsync(c => new { Probes = Watched(c, watched), Schedule = c.Server.Probes }, (current, cancellationToken) => RunProbesAsync(current, watched, cancellationToken), run.Token);
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

    private Task RunProbesAsync(RewindConfig current, WatchSet watched, CancellationToken cancellationToken)
    {
        var probes = Watched(current, watched)
            .SelectMany(c => c.Value.Where(p => p.Value.Host is null).Select(p => new ScheduledProbe(c.Key, p.Key, p.Value)))
            .ToList();
        ServerLog.ProbesScheduled(logger, probes.Count, current.Server.Probes.MaxConcurrent);
        var handlers = new ProbeRunHandlers(MeasuredAsync, NotMeasured, (p, ex) => ServerLog.MonitorLoopFailed(logger, ex, p.Component, p.Name));
        return new ProbeScheduler(probe, current.Server.Probes, time, handlers).RunAsync(probes, cancellationToken);
    }

    private async Task MeasuredAsync(MeasuredRun run, CancellationToken cancellationToken)
    {
        var (scheduled, sample) = (run.Probe, run.Sample);
        if (!share.Watches(scheduled.Component))
        {
            return; // the share lapsed during the run (this process was paused, say): another replica may watch it by now
        }

        sample = leadership.Shared ? sample with { Replica = leadership.Replica } : sample;
        var probeRun = ProbeRun.Of(sample, run.Due, scheduled.Config.Interval, scheduled.Config.Timeout);
        board.Monitor.Record(probeRun);
        metrics.ProbeScheduleLag.Observe(probeRun.Lag.TotalSeconds, "probe");
        board.Update(sample, scheduled.Config.FailureThreshold);
        metrics.ProbeSamples.Inc(scheduled.Component, scheduled.Name, sample.Success ? "pass" : "fail");
        await RecordAsync(sample, cancellationToken);
    }

    private void NotMeasured(NotMeasuredRun run)
    {
        board.Monitor.RecordNotMeasured(run.At, run.Reason, run.Count);
        metrics.ProbesNotMeasured.Add(run.Count, NotMeasuredReasons.Label(run.Reason));
    }

    /// <summary>A measured sample: queued for the store, then given to the decision engine.</summary>
    private async Task RecordAsync(ProbeSample sample, CancellationToken cancellationToken)
    {
        Write(sample);
        await DecideAsync(sample, cancellationToken);
    }

    /// <summary>
    /// Queues the sample for the store, written in batches by <see cref="SampleWriter"/> (which tells the monitor's health
    /// how long each batch took): the decision never waits on the store, and a sample it refuses (its disk full, say) is
    /// kept in memory only (see <see cref="StoreWrites"/>).
    /// </summary>
    private void Write(ProbeSample sample) => writer.Add(sample);

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
