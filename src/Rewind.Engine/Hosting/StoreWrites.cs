using Microsoft.Extensions.Logging;
using Rewind.Core.Storage;

namespace Rewind.Engine.Hosting;

/// <summary>
/// The controller's own bulk writes (probe samples, traffic totals): they never stop a decision. A write the store
/// refuses is counted in <see cref="StoreHealth"/> (logged once a minute, not once a sample); a full disk releases the
/// <see cref="StoreReserve"/> and, until it is taken back, these writes are skipped and kept in memory only.
/// </summary>
internal sealed class StoreWrites(StoreHealth health, StoreReserve reserve, RewindEngineOptions options, TimeProvider time, ILogger<StoreWrites> logger)
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
                EngineLog.StoreWritesBack(logger);
            }

            return true;
        }
        catch (Exception ex) when (options.IsStaleLeader(ex))
        {
            return false; // refused by the fence: this replica no longer leads, which says nothing of the store
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var log = health.RecordFailure(what, ex, now);
            if (options.IsDiskFull(ex) && health.StartSparing(now))
            {
                EngineLog.StoreDiskFull(logger, reserve.Release() ? $"{StoreReserve.Bytes / (1024 * 1024)} MiB kept aside at {reserve.Path} released" : "no reserve to release");
            }
            else if (log)
            {
                EngineLog.StoreWritesFailing(logger, health.Status().Describe()!);
            }

            return false;
        }
    }
}
