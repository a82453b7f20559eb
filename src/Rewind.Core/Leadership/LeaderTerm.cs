namespace Rewind.Core.Leadership;

/// <summary>
/// One replica's time as leader: its name and the lease's epoch, which only grows. The store fences every write made
/// under a term (see <see cref="WriteFence"/>) by that epoch, in the write's own transaction; <see cref="End"/> makes
/// the term refuse to write at once, before the database's lease could run out.
/// </summary>
public sealed class LeaderTerm : IDisposable
{
    private readonly CancellationTokenSource _ended = new();

    public LeaderTerm(string replica, long epoch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(replica);
        Replica = replica;
        Epoch = epoch;
        Ended = _ended.Token; // taken once: still readable once the term is disposed
    }

    public string Replica { get; }

    public long Epoch { get; }

    /// <summary>Cancelled when the term ends: every loop that acts as leader stops on it.</summary>
    public CancellationToken Ended { get; }

    public bool IsOver => Ended.IsCancellationRequested;

    /// <summary>Ends the term: nothing more is written or done under it. Safe to call more than once.</summary>
    public void End()
    {
        try
        {
            _ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // ended and disposed before
        }
    }

    /// <summary>Ends the term, then frees it; its <see cref="Ended"/> token stays cancelled.</summary>
    public void Dispose()
    {
        End();
        _ended.Dispose();
    }

    public override string ToString() => $"{Replica} (epoch {Epoch})";
}

/// <summary>
/// The term whose writes the store must fence, carried by the async flow: a loop that acts as leader enters its term
/// once, and every store write it makes (and every task it starts) carries the epoch. Writes outside any term (a
/// person's request to the API, any replica) are not fenced.
/// </summary>
public static class WriteFence
{
    private static readonly AsyncLocal<LeaderTerm?> Ambient = new();

    public static LeaderTerm? Current => Ambient.Value;

    /// <summary>Carries <paramref name="term"/> through the rest of the calling async method and what it starts.</summary>
    public static void Enter(LeaderTerm term) => Ambient.Value = term;
}

/// <summary>A write refused because its term is over or no longer the lease's: the replica is not the leader.</summary>
public sealed class StaleLeaderException(string message, Exception? inner = null) : Exception(message, inner);
