using Rewind.Core.Storage;

namespace Rewind.Engine.Shares;

/// <summary>
/// Reads the samples every replica writes, in the order they were written (<c>probe_samples.seq</c>), one query per
/// call. Places are handed out when a write starts and become visible when it commits, so a place skipped now may
/// still fill: it is asked for again at every call until it appears or <see cref="Grace"/> has passed (a write rolled
/// back, or a sample removed, never fills it). The tail starts at the newest sample when first read: history is not
/// replayed. Not thread-safe: one loop reads it.
/// </summary>
internal sealed class SampleTail(IShareStore store, TimeProvider time)
{
    /// <summary>How long a skipped place is waited for.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>The most samples read by one query; a full batch is followed at once by the next.</summary>
    public const int Batch = 5000;

    /// <summary>A jump wider than this between two places is not waited for (a sequence that skipped ahead, samples pruned); nor more places than this at once.</summary>
    public const int MaxGap = 1000;

    private readonly Dictionary<long, long> _missing = [];
    private long? _after;

    /// <summary>Places given up on (never filled within <see cref="Grace"/>) since the tail started.</summary>
    public long GivenUp { get; private set; }

    /// <summary>Samples written since the last call (and late ones of the places skipped before), in the order written.</summary>
    public async Task<IReadOnlyList<SequencedSample>> NextAsync(CancellationToken cancellationToken)
    {
        if (_after is not { } after)
        {
            _after = await store.GetLastSampleSeqAsync(cancellationToken);
            return [];
        }

        var read = await store.GetSamplesAfterAsync(after, _missing.Keys, Batch, cancellationToken);
        var now = time.GetTimestamp();
        foreach (var sample in read)
        {
            if (!_missing.Remove(sample.Seq))
            {
                for (var skipped = after + 1; skipped < sample.Seq && sample.Seq - after <= MaxGap && _missing.Count < MaxGap; skipped++)
                {
                    _missing[skipped] = now;
                }

                after = sample.Seq;
            }
        }

        _after = after;
        foreach (var expired in _missing.Where(m => time.GetElapsedTime(m.Value) > Grace).Select(m => m.Key).ToList())
        {
            _missing.Remove(expired);
            GivenUp++;
        }

        return read;
    }
}
