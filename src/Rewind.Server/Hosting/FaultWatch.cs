using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;
using Rewind.Server.Notifications;
using Rewind.Storage;

namespace Rewind.Server.Hosting;

/// <summary>
/// Looks at the controller's own health every <see cref="Every"/>: whether the store answers, whether it takes writes
/// (<see cref="StoreHealth"/>), how full a SQLite store's disk is. Raises and clears <see cref="ControllerFaults"/>
/// (the executor raises its own; the probe runs the scheduler could not measure raise the controller's overload), and hands the pages due (<see cref="ControllerPager"/>) to the delivery that does not
/// need the store.
/// </summary>
internal sealed class FaultWatch(
    IStore store,
    StoreHealth storeHealth,
    ControllerFaults faults,
    ControllerPageDelivery delivery,
    HealthBoard board,
    ConfigHolder config,
    RewindServerOptions options,
    TimeProvider time,
    ILogger<FaultWatch> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    /// <summary>A SQLite store's disk with less than this share of its space free is nearly full.</summary>
    public const double NearlyFullBelow = 0.10;

    /// <summary>How long the store may take to answer the watch's ping before it counts as unreachable.</summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the runs not measured must keep the controller overloaded before that is a fault: the first runs after a start, on a busy host, are not one.</summary>
    public static readonly TimeSpan OverloadLasts = TimeSpan.FromSeconds(4);

    private readonly ControllerPager _pager = new(options.FaultPageAfter, options.FaultQuietFor);
    private DateTimeOffset? _behindSince;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(Every, time, LookAsync, ex => ServerLog.FaultWatchFailed(logger, ex), stoppingToken);

    /// <summary>One look: the faults brought up to date, the pages due handed over.</summary>
    internal async Task LookAsync(CancellationToken cancellationToken)
    {
        var reachable = await PingAsync(cancellationToken);
        var now = time.GetUtcNow();
        var writes = storeHealth.Status();
        Set(ControllerFaultKinds.StoreNotWritable, reachable && !writes.Writable, Severity.P1, "store not writable", writes.Describe(), now);
        var disk = reachable && writes.Writable ? DiskNearlyFull() : null;
        Set(ControllerFaultKinds.StoreDiskNearlyFull, disk is not null, Severity.P2, "store disk nearly full", disk, now);
        var overloaded = NotMeasured(now);
        Set(ControllerFaultKinds.ControllerOverloaded, overloaded is not null, Severity.P2, "controller overloaded", overloaded, now);

        foreach (var page in _pager.Review(faults.Active(), now))
        {
            delivery.Enqueue(page, now);
        }
    }

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PingTimeout);
        string? error;
        try
        {
            await store.PingAsync(timeout.Token);
            error = null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"no answer within {PingTimeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex.Message;
        }

        var kind = StoreKind(config.Current.Store);
        Set(ControllerFaultKinds.StoreUnreachable, error is not null, Severity.P1, "store unavailable", $"the {kind} store does not answer: {error}; {(kind == "sqlite" ? "samples are kept in memory, decisions go on, but nothing is recorded" : "the leader stops acting once it cannot renew its lease, and nothing is recorded")} and no rollback can start or move on until it answers", time.GetUtcNow());
        return error is null;
    }

    private void Set(string kind, bool raised, Severity severity, string title, string? message, DateTimeOffset now)
    {
        if (raised && faults.Raise(kind, severity, title, message ?? title, now))
        {
            ServerLog.ControllerFaultRaised(logger, kind, message ?? title);
        }
        else if (!raised && faults.Clear(kind) is { } ended)
        {
            ServerLog.ControllerFaultCleared(logger, kind, Core.Configuration.Durations.Format(now - ended.Since));
        }
    }

    /// <summary>What is left on a SQLite store's disk when that is less than <see cref="NearlyFullBelow"/>; null otherwise, and for PostgreSQL (its disk is not the controller's to see).</summary>
    private string? DiskNearlyFull()
    {
        if (StoreFactory.SqliteFile(config.Current.Store) is not { } file || Path.GetDirectoryName(file) is not { } directory)
        {
            return null;
        }

        var drive = new DriveInfo(directory);
        if (drive.TotalSize <= 0 || (double)drive.AvailableFreeSpace / drive.TotalSize >= NearlyFullBelow)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"the disk of the store {file} has {Mib(drive.AvailableFreeSpace)} MiB of {Mib(drive.TotalSize)} MiB free ({100.0 * drive.AvailableFreeSpace / drive.TotalSize:0.#} %, below {NearlyFullBelow * 100:0} %): free space before it fills, or the controller keeps samples in memory only");
    }

    /// <summary>What the runs the controller could not measure lately say about it; null when too few to be more than a pause.</summary>
    private string? NotMeasured(DateTimeOffset now)
    {
        var status = board.Monitor.Status(now);
        _behindSince = status.BehindOnProbes ? _behindSince ?? now : null;
        if (_behindSince is not { } since || now - since < OverloadLasts)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"the controller cannot run its probes on time: {status.NotMeasured} probe runs not measured in the last {Core.Configuration.Durations.Format(board.Monitor.Options.Window)} ({status.NotMeasuredTotal} since it started); they count for nothing (no sample, no policy moved), so what it watches is seen less often: give it more CPU, raise server.probes.max-concurrent, lengthen probe intervals, or spread the components over replicas");
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);

    internal static string StoreKind(string store) => store.StartsWith("sqlite:", StringComparison.Ordinal) ? "sqlite" : "postgres";
}
