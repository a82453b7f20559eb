using Rewind.Engine.Hosting;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// Writes the probe samples queued by the monitor in batches (<see cref="SampleWriter"/>), as the leader and fenced by
/// its term, and what is still queued when the controller stops. Registered before the monitor, so it stops after it.
/// </summary>
internal sealed class SampleWriterHostedService(SampleWriter writer, Leadership leadership) : LeaderService(leadership)
{
    protected override TimeSpan AfterTakeover => TimeSpan.Zero; // samples queue from the first probe of the term

    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) => writer.RunAsync(stoppingToken);
}
