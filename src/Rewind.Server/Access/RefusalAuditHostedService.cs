using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Server.Hosting;

namespace Rewind.Server.Access;

/// <summary>Writes the counts of refused requests every second as their windows end, and every count left at shutdown.</summary>
internal sealed class RefusalAuditHostedService(RefusalAudit audit, TimeProvider time, ILogger<RefusalAuditHostedService> logger) : BackgroundService
{
    /// <summary>How often ended windows are looked for: a count is written at most this late. 1 s.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await audit.FlushAsync(all: true, cancellationToken);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The shutdown's time ran out (a host too loaded to write in time): said in the log, not thrown at the host.
            ServerLog.AuditFailed(logger, ex, "counted refusals left at shutdown");
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(Tick, time, cancellationToken => audit.FlushAsync(all: false, cancellationToken), ex => ServerLog.AuditFailed(logger, ex, "counted refusals"), stoppingToken);
}
