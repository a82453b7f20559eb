using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Runbooks;
using Rewind.Server.Hosting;
using Rewind.Storage;

namespace Rewind.Server.Runbooks;

/// <summary>Resumes the rollbacks a previous controller left unfinished, then runs new ones as they are requested.</summary>
internal sealed class ExecutorHostedService(IStore store, RollbackQueue queue, RollbackExecutor executor, ExecutorCrashes crashes, TimeProvider time, ILogger<ExecutorHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>The executor resumes the last leader's rollbacks at once.</summary>
    protected override TimeSpan AfterTakeover => TimeSpan.Zero;

    /// <summary>How often the leader of several replicas looks in the store for rollbacks started through another replica.</summary>
    private static readonly TimeSpan ScanEvery = TimeSpan.FromSeconds(1);

    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly List<Task> _tasks = [];

    protected override async Task RunAsLeaderAsync(CancellationToken stoppingToken)
    {
        foreach (var rollback in (await store.GetActiveRollbacksAsync(stoppingToken)).Where(r => r.Status != Rewind.Core.Runbooks.RollbackStatus.Awaiting))
        {
            Start(rollback.Id, stoppingToken);
        }

        // With replicas a rollback may be started or approved through another replica's API: the store says so.
        var scanOutage = new StoreOutageLog(time);
        var scan = Leadership.Shared
            ? PeriodicLoop.RunAsync(ScanEvery, time, ct => ScanAsync(stoppingToken, ct), ex => Scanned(scanOutage.Filter(ex)), stoppingToken)
            : Task.CompletedTask;
        try
        {
            await foreach (var id in queue.ReadAllAsync(stoppingToken))
            {
                Start(id, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down, or the term ended: running rollbacks observe the same token and pause where the store says
        }

        await scan;
        Task[] tasks;
        lock (_running)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks);
    }

    /// <summary>A failed look for rollbacks started elsewhere: a store outage in one line a minute, anything else in full.</summary>
    private void Scanned(Exception? shown)
    {
        if (shown is not null)
        {
            ServerLog.RollbackScanFailed(logger, shown);
        }
    }

    private async Task ScanAsync(CancellationToken stoppingToken, CancellationToken cancellationToken)
    {
        foreach (var rollback in (await store.GetActiveRollbacksAsync(cancellationToken)).Where(r => r.Status != Rewind.Core.Runbooks.RollbackStatus.Awaiting))
        {
            Start(rollback.Id, stoppingToken);
        }
    }

    private void Start(string id, CancellationToken stoppingToken)
    {
        lock (_running)
        {
            if (!_running.Add(id))
            {
                return;
            }

            _tasks.RemoveAll(t => t.IsCompleted); // a long-lived controller must not keep every finished rollback's task
            _tasks.Add(Run(id, stoppingToken));
        }
    }

    private Task Run(string id, CancellationToken stoppingToken) =>
        Task.Run(async () =>
        {
            try
            {
                // A crash (the store briefly unreachable, say) must not leave the rollback holding its lease until the
                // next restart: try again from the store's record, which says exactly where it stopped.
                var outage = new StoreOutageLog(time);
                while (true)
                {
                    try
                    {
                        await executor.RunAsync(id, stoppingToken);
                        break;
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        // A store outage in one line a minute; another crash in full, the first and then every 30th.
                        var count = crashes.Crashed(id, ex, time.GetUtcNow());
                        if (outage.Filter(ex) is { } shown && (StoreFactory.IsUnavailable(ex) || count == 1 || count % 30 == 0))
                        {
                            ServerLog.RollbackCrashed(logger, shown, id);
                        }

                        await Task.Delay(RetryDelay, time, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                EngineLog.RollbackPaused(logger, id);
            }
            finally
            {
                crashes.Ended(id);
                lock (_running)
                {
                    _running.Remove(id);
                }
            }
        }, CancellationToken.None);
}
