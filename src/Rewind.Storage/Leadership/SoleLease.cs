using Rewind.Core.Leadership;

namespace Rewind.Storage;

/// <summary>
/// The lease of a store with exactly one controller (SQLite, held by its lock file): always this process's, epoch 1,
/// never run out. Nothing is fenced: no other controller can write.
/// </summary>
internal sealed class SoleLease(string replica, TimeProvider time) : ILeaderLease
{
    private readonly DateTimeOffset _taken = time.GetUtcNow();

    public TimeSpan Ttl => Timeout.InfiniteTimeSpan;

    public bool IsShared => false;

    public Task<long?> TryTakeAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(1);

    public Task<bool> RenewAsync(long epoch, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task ReleaseAsync(long epoch, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.Delay(timeout, time, cancellationToken);

    public Task<LeaseView> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(new LeaseView(replica, 1, _taken, now, DateTimeOffset.MaxValue, now));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
