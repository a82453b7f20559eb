using Microsoft.Extensions.Hosting;
using Rewind.Engine.Metrics;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// The controller's own timer, every 250ms, with nothing behind it: how late it fires is how late everything the
/// controller schedules runs, measured often enough to tell overload even when every probe runs once a minute.
/// </summary>
internal sealed class TimerLagHostedService(HealthBoard board, ControllerMetrics metrics, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(Period, time, (tick, _) =>
        {
            board.Monitor.RecordTick(tick.Due, tick.Started, Period);
            metrics.ProbeScheduleLag.Observe(tick.Lag.TotalSeconds, "timer");
            return Task.CompletedTask;
        }, _ => { }, stoppingToken);
}
