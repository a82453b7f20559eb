using Rewind.Client;

namespace Rewind.Cli.Agent;

/// <summary>
/// The samples of the host's probes not sent yet, oldest first, bounded: while no controller answers it keeps the newest
/// <see cref="Capacity"/> and drops older ones, counting them, so an agent cut off for hours never grows without end.
/// </summary>
internal sealed class AgentSampleBuffer(int capacity = AgentSampleBuffer.DefaultCapacity)
{
    /// <summary>Samples kept unsent at most: 1,000.</summary>
    public const int DefaultCapacity = 1000;

    private readonly Queue<AgentSampleDto> _samples = new();
    private readonly Lock _lock = new();
    private long _dropped;

    public int Capacity => capacity;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _samples.Count;
            }
        }
    }

    /// <summary>Samples dropped since the last batch a controller took.</summary>
    public long Dropped
    {
        get
        {
            lock (_lock)
            {
                return _dropped;
            }
        }
    }

    public void Add(AgentSampleDto sample)
    {
        lock (_lock)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > capacity)
            {
                _samples.Dequeue();
                _dropped++;
            }
        }
    }

    /// <summary>The oldest samples, at most <paramref name="max"/>, with the drops so far; they stay until <see cref="Sent"/>.</summary>
    public AgentSamplesRequest Peek(int max)
    {
        lock (_lock)
        {
            return new AgentSamplesRequest([.. _samples.Take(max)], _dropped);
        }
    }

    /// <summary>
    /// A controller took <paramref name="batch"/>: its samples leave the buffer (those still in it: older ones may have
    /// been dropped meanwhile) and its drops were told.
    /// </summary>
    public void Sent(AgentSamplesRequest batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_lock)
        {
            var sent = batch.Samples.Count > 0 ? batch.Samples[^1] : null;
            if (sent is not null && _samples.Any(s => ReferenceEquals(s, sent)))
            {
                while (!ReferenceEquals(_samples.Dequeue(), sent))
                {
                }
            }

            _dropped -= Math.Min(_dropped, batch.Dropped);
        }
    }
}
