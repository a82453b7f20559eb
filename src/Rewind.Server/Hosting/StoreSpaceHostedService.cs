using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Server.Hosting;

/// <summary>Takes the store's reserve at start, and takes it back (ending the sparing) once the disk has room again.</summary>
internal sealed class StoreSpaceHostedService(StoreHealth health, StoreReserve reserve, TimeProvider time, ILogger<StoreSpaceHostedService> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(Every, time, _ =>
        {
            if ((health.Sparing || !reserve.Held) && reserve.TryTake() && health.EndSparing())
            {
                EngineLog.StoreWritesBack(logger);
            }

            return Task.CompletedTask;
        }, ex => ServerLog.StoreReserveFailed(logger, ex), stoppingToken);
}
