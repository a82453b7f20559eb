using System.Threading.Channels;

namespace Rewind.Engine.Runbooks;

/// <summary>Hands rollback IDs from the coordinator to the executor. The store, not this queue, is the record.</summary>
internal sealed class RollbackQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string rollbackId) => _channel.Writer.TryWrite(rollbackId);

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);
}
