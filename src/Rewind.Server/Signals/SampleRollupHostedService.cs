using Microsoft.Extensions.Logging;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// The leader's rollup loop: every <see cref="Every"/>, one bounded <see cref="SampleRollup"/> pass with the running
/// config's <c>samples</c> windows (a reload applies at the next pass); a pass that had more to do than its bounds is
/// followed by the next one at once. A failed pass is logged and retried at the next tick.
/// </summary>
internal sealed partial class SampleRollupHostedService(
    ConfigHolder config,
    SampleRollup rollup,
    TimeProvider time,
    ILogger<SampleRollupHostedService> logger,
    Leadership leadership) : LeaderService(leadership)
{
    internal static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    /// <summary>Passes run back to back at most, while each still finds work (a controller catching up).</summary>
    private const int CatchUpPasses = 6;

    private readonly StoreOutageLog _outage = new(time);

    protected override async Task RunAsLeaderAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    for (var i = 0; i < CatchUpPasses; i++)
                    {
                        var pass = await rollup.RunAsync(config.Current.Samples, stoppingToken);
                        if (!pass.DidWork)
                        {
                            break;
                        }

                        Rolled(logger, pass.MinuteRows, pass.HourRows, pass.RawDeleted, pass.MinutesDeleted, pass.HoursDeleted);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    if (_outage.Filter(ex) is { } shown)
                    {
                        Failed(logger, shown);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutdown
        }
    }

    [LoggerMessage(1240, LogLevel.Debug, "Samples rolled: {MinuteRows} minute rows, {HourRows} hour rows written; deleted {RawDeleted} raw samples, {MinutesDeleted} minute rows, {HoursDeleted} hour rows")]
    private static partial void Rolled(ILogger logger, int minuteRows, int hourRows, int rawDeleted, int minutesDeleted, int hoursDeleted);

    [LoggerMessage(1241, LogLevel.Error, "Sample rollup failed; trying again")]
    private static partial void Failed(ILogger logger, Exception exception);
}
