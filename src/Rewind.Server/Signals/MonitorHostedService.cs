using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Engine.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Engine.Policies;
using Rewind.Engine.Signals;
using Rewind.Runtime.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// Runs the probes of the config in force on a <see cref="ProbeScheduler"/>, records each sample and hands it to the
/// decision engine; a run the scheduler could not measure is counted and told to the monitor's own health, and nothing
/// else. A probe a host's agent runs (<c>host:</c>) is not run here: <see cref="HostProbeHostedService"/> feeds its samples.
/// </summary>
internal sealed class MonitorHostedService(
    ConfigHolder config,
    IProbe probe,
    SampleWriter writer,
    HealthBoard board,
    DecisionEngine engine,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger<MonitorHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private readonly StoreOutageLog _outage = new(time);

    /// <summary>The probes of the config in force; a reload that changes any probe, or <c>server.probes</c>, schedules them again (on the same phases).</summary>
    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => new { Probes = c.Components.ToDictionary(x => x.Key, x => x.Value.Probes, StringComparer.Ordinal), Schedule = c.Server.Probes }, RunProbesAsync, stoppingToken);

    private Task RunProbesAsync(RewindConfig current, CancellationToken cancellationToken)
    {
        var probes = current.Components
            .SelectMany(c => c.Value.Probes.Where(p => p.Value.Host is null).Select(p => new ScheduledProbe(c.Key, p.Key, p.Value)))
            .ToList();
        ServerLog.ProbesScheduled(logger, probes.Count, current.Server.Probes.MaxConcurrent);
        var handlers = new ProbeRunHandlers(MeasuredAsync, NotMeasured, (p, ex) => ServerLog.MonitorLoopFailed(logger, ex, p.Component, p.Name));
        return new ProbeScheduler(probe, current.Server.Probes, time, handlers).RunAsync(probes, cancellationToken);
    }

    private async Task MeasuredAsync(MeasuredRun run, CancellationToken cancellationToken)
    {
        var (scheduled, sample) = (run.Probe, run.Sample);
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

    /// <summary>A measured sample: written to the store, then given to the decision engine.</summary>
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

    private async Task DecideAsync(ProbeSample sample, CancellationToken stoppingToken)
    {
        try
        {
            await engine.ObserveAsync(sample, stoppingToken);
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
