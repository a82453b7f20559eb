using System.Threading.Channels;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Engine.Hosting;

namespace Rewind.Server.Dashboard;

/// <summary>
/// Change notices for the dashboard's event stream: each subscriber gets its own bounded queue (the oldest notice is
/// dropped when a slow reader falls behind: a notice only says "read this again", so a newer one covers it).
/// Writers that know they changed something publish at once; <see cref="ChangeFeedHostedService"/> finds the rest by
/// reading the store, and reads it at once after <see cref="Poke"/>.
/// </summary>
internal sealed class ChangeFeed(TimeProvider time) : IChangeNotice, IDisposable
{
    private const int QueueLength = 256;

    private readonly Lock _gate = new();
    private readonly List<Channel<ChangeDto>> _subscribers = [];
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
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

    /// <summary>
    /// A queue of notices from now on for <paramref name="user"/> (dispose to leave), or why not: the user holds
    /// <c>server.limits.event-streams-per-user</c> streams already (another user is not affected), or all users together
    /// hold <c>server.limits.event-streams</c>, so that no client can exhaust the server.
    /// </summary>
    public (Subscription? Subscription, StreamRefusal Refusal) Subscribe(string user, LimitsConfig limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var channel = Channel.CreateBounded<ChangeDto>(new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            var held = _perUser.GetValueOrDefault(user);
            if (held >= limits.EventStreamsPerUser)
            {
                return (null, StreamRefusal.UserLimit);
            }

            if (_subscribers.Count >= limits.EventStreams)
            {
                return (null, StreamRefusal.TotalLimit);
            }

            _subscribers.Add(channel);
            _perUser[user] = held + 1;
        }

        Poke();
        return (new Subscription(this, channel, user), StreamRefusal.None);
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

    private void Leave(Channel<ChangeDto> channel, string user)
    {
        lock (_gate)
        {
            if (_subscribers.Remove(channel) && (_perUser[user] -= 1) == 0)
            {
                _perUser.Remove(user);
            }
        }

        channel.Writer.TryComplete();
    }

    public sealed class Subscription(ChangeFeed feed, Channel<ChangeDto> channel, string user) : IDisposable
    {
        public ChannelReader<ChangeDto> Reader => channel.Reader;

        public void Dispose() => feed.Leave(channel, user);
    }
}

/// <summary>Why an event stream was not opened.</summary>
internal enum StreamRefusal
{
    None,
    UserLimit,
    TotalLimit,
}
