using Microsoft.Extensions.Hosting;
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
/// Runs every probe on its own interval, records each sample and hands it to the decision engine. One failing loop never
/// stops another. A probe a host's agent runs (<c>host:</c>) is not run here: <see cref="HostProbeHostedService"/> feeds its samples.
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

    /// <summary>The probes of the config in force; a reload that changes any probe starts them again on the new schedules.</summary>
    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => c.Components.ToDictionary(x => x.Key, x => x.Value.Probes, StringComparer.Ordinal), (current, cancellationToken) => Task.WhenAll(current.Components
            .SelectMany(c => c.Value.Probes.Where(p => p.Value.Host is null).Select(p => RunProbeAsync(c.Key, p.Key, p.Value, cancellationToken)))), stoppingToken);

    private Task RunProbeAsync(string component, string name, ProbeConfig probeConfig, CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(probeConfig.Interval, time, async (tick, cancellationToken) =>
        {
            var sample = await probe.RunAsync(component, name, probeConfig, cancellationToken);
            board.Monitor.Record(ProbeRun.Of(sample, tick.Due, probeConfig.Interval, probeConfig.Timeout));
            metrics.ProbeScheduleLag.Observe(tick.Lag.TotalSeconds, "probe");
            board.Update(sample, probeConfig.FailureThreshold);
            metrics.ProbeSamples.Inc(component, name, sample.Success ? "pass" : "fail");
            Write(sample);
            await DecideAsync(sample, cancellationToken);
        }, ex => ServerLog.MonitorLoopFailed(logger, ex, component, name), stoppingToken);

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
