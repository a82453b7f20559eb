using Microsoft.Extensions.Hosting;
using Rewind.Core.Leadership;

namespace Rewind.Server.Hosting;

/// <summary>
/// A loop that only the leader runs (decisions, rollbacks, schedules, escalations, notifications): it waits
/// for this replica's term, runs in it with every store write fenced by the term's epoch, and stops when the term ends;
/// then it waits for the next one. With SQLite the one controller's term lasts as long as the process.
/// </summary>
internal abstract class LeaderService(Leadership leadership) : BackgroundService
{
    /// <summary>
    /// How long after a replica of several starts leading this loop waits before it runs: a second by default, so that
    /// the executor, which does not wait, resumes the rollbacks the last leader left before probes, schedules and
    /// deliveries crowd a host that is busy taking over.
    /// </summary>
    protected virtual TimeSpan AfterTakeover => TimeSpan.FromSeconds(1);

    /// <summary>This replica's part in the leadership.</summary>
    protected Leadership Leadership { get; } = leadership;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            LeaderTerm term;
            try
            {
                term = await Leadership.WaitForTermAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var acting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, term.Ended);
            WriteFence.Enter(term); // this flow and every task it starts write as this term, and only while it lasts
            try
            {
                if (Leadership.Shared && AfterTakeover > TimeSpan.Zero)
                {
                    await Task.Delay(AfterTakeover, Leadership.Time, acting.Token); // the rollbacks the last leader left go first
                }

                await RunAsLeaderAsync(acting.Token);

                // A loop with nothing to do (no schedule declared, say) returns at once: it stays done for the rest of
                // this term instead of being started again and again, which would keep a core busy for nothing.
                await Task.Delay(Timeout.InfiniteTimeSpan, Leadership.Time, acting.Token);
            }
            catch (Exception) when (acting.IsCancellationRequested)
            {
                // the term ended or the process stops: what was under way is refused by the fence, not half-written
            }
        }
    }

    /// <summary>The loop's work while this replica leads; it must return (or throw) soon after <paramref name="cancellationToken"/> is cancelled.</summary>
    protected abstract Task RunAsLeaderAsync(CancellationToken cancellationToken);
}
