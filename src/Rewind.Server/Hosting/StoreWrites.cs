using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Storage;
using Rewind.Storage;

namespace Rewind.Server.Hosting;

/// <summary>
/// The controller's own bulk writes (probe samples, traffic totals): they never stop a decision. A write the store
/// refuses is counted in <see cref="StoreHealth"/> (logged once a minute, not once a sample); a full disk releases the
/// <see cref="StoreReserve"/> and, until it is taken back, these writes are skipped and kept in memory only.
/// </summary>
internal sealed class StoreWrites(StoreHealth health, StoreReserve reserve, TimeProvider time, ILogger<StoreWrites> logger)
{
    /// <summary>Runs <paramref name="write"/> unless the disk is being spared; true when it was written.</summary>
    public async Task<bool> TryAsync(string what, Func<Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (health.Sparing)
        {
            return false;
        }

        try
        {
            await write();
            if (health.RecordSuccess())
            {
                ServerLog.StoreWritesBack(logger);
            }

            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var log = health.RecordFailure(what, ex, now);
            if (StoreFactory.IsDiskFull(ex) && health.StartSparing(now))
            {
                ServerLog.StoreDiskFull(logger, reserve.Release() ? $"{StoreReserve.Bytes / (1024 * 1024)} MiB kept aside at {reserve.Path} released" : "no reserve to release");
            }
            else if (log)
            {
                ServerLog.StoreWritesFailing(logger, health.Status().Describe()!);
            }

            return false;
        }
    }
}

/// <summary>Takes the store's reserve at start, and takes it back (ending the sparing) once the disk has room again.</summary>
internal sealed class StoreSpaceHostedService(StoreHealth health, StoreReserve reserve, TimeProvider time, ILogger<StoreSpaceHostedService> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(Every, time, _ =>
        {
            if ((health.Sparing || !reserve.Held) && reserve.TryTake() && health.EndSparing())
            {
                ServerLog.StoreWritesBack(logger);
            }

            return Task.CompletedTask;
        }, ex => ServerLog.StoreReserveFailed(logger, ex), stoppingToken);
}
