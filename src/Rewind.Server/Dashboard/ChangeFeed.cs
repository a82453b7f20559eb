using System.Threading.Channels;
using Rewind.Client;

namespace Rewind.Server.Dashboard;

/// <summary>
/// Change notices for the dashboard's event stream: each subscriber gets its own bounded queue (the oldest notice is
/// dropped when a slow reader falls behind: a notice only says "read this again", so a newer one covers it).
/// Writers that know they changed something publish at once; <see cref="ChangeFeedHostedService"/> finds the rest by
/// reading the store, and reads it at once after <see cref="Poke"/>.
/// </summary>
internal sealed class ChangeFeed(TimeProvider time) : IDisposable
{
    /// <summary>Streams open at once at most; more are refused so a stuck client cannot exhaust the server. Default 200.</summary>
    public const int MaxSubscribers = 200;

    private const int QueueLength = 256;

    private readonly Lock _gate = new();
    private readonly List<Channel<ChangeDto>> _subscribers = [];
    private readonly SemaphoreSlim _poked = new(0, 1);

    public bool HasSubscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count > 0;
            }
        }
    }

    /// <summary>A queue of notices from now on, or null when <see cref="MaxSubscribers"/> are open; dispose to leave.</summary>
    public Subscription? Subscribe()
    {
        var channel = Channel.CreateBounded<ChangeDto>(new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            if (_subscribers.Count >= MaxSubscribers)
            {
                return null;
            }

            _subscribers.Add(channel);
        }

        Poke();
        return new Subscription(this, channel);
    }

    public void Publish(string kind, string? id)
    {
        var change = new ChangeDto(kind, id, time.GetUtcNow());
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(change);
            }
        }
    }

    /// <summary>Asks for a read of the store now rather than at the next tick.</summary>
    public void Poke()
    {
        if (_poked.CurrentCount == 0)
        {
            try
            {
                _poked.Release();
            }
            catch (SemaphoreFullException)
            {
                // poked twice at once: one read covers both
            }
        }
    }

    /// <summary>Waits until poked or <paramref name="interval"/> passed.</summary>
    public async Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(interval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _poked.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the interval passed without a poke
        }
    }

    public void Dispose() => _poked.Dispose();

    private void Leave(Channel<ChangeDto> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    public sealed class Subscription(ChangeFeed feed, Channel<ChangeDto> channel) : IDisposable
    {
        public ChannelReader<ChangeDto> Reader => channel.Reader;

        public void Dispose() => feed.Leave(channel);
    }
}
