using System.Collections.Concurrent;

namespace Rewind.Engine.Runbooks;

/// <summary>
/// Interrupts rollbacks this controller is running when a person aborts one. The store holds the request durably; this
/// only makes the running step stop now rather than at its end.
/// </summary>
internal sealed class RollbackAborts
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    /// <summary>The token that fires when <paramref name="rollbackId"/> is aborted while this controller runs it.</summary>
    public Registration Register(string rollbackId)
    {
        var source = new CancellationTokenSource();
        _running[rollbackId] = source;
        return new Registration(this, rollbackId, source);
    }

    /// <summary>Interrupts the rollback if it runs here; false when it does not.</summary>
    public bool Signal(string rollbackId)
    {
        if (!_running.TryGetValue(rollbackId, out var source))
        {
            return false;
        }

        source.Cancel();
        return true;
    }

    internal sealed class Registration(RollbackAborts owner, string rollbackId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public bool Fired => source.IsCancellationRequested;

        public void Dispose()
        {
            owner._running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(rollbackId, source));
            source.Dispose();
        }
    }
}
