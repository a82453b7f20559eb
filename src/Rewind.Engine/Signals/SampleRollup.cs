using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Core.Storage;

namespace Rewind.Engine.Signals;

/// <summary>What one pass of <see cref="SampleRollup"/> did: rollup rows written and rows deleted, per resolution.</summary>
public sealed record RollupPass(int MinuteRows, int HourRows, int RawDeleted, int MinutesDeleted, int HoursDeleted)
{
    public bool DidWork => MinuteRows + HourRows + RawDeleted + MinutesDeleted + HoursDeleted > 0;
}

/// <summary>
/// Keeps the samples store bounded by time, one bounded pass at a time. Rolls every closed minute (ended
/// <see cref="Settle"/> ago) from raw samples and every closed hour from its minutes, upserting, and records how far
/// each is rolled, so a pass is incremental and repeating one writes the same rows. Then deletes what fell out of
/// its window in time slices along the time index: raw samples older than <c>samples.full-resolution</c>, minutes
/// older than <c>samples.per-minute</c>, hours older than <c>samples.per-hour</c>; never a row not rolled yet.
/// A sample stored later than <see cref="Settle"/> after its minute ended stays raw but is not in the rollups.
/// </summary>
public sealed class SampleRollup(IStore store, TimeProvider time)
{
    /// <summary>How long after a minute ends it is rolled: samples still being written for it get this long to land.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    /// <summary>Minutes rolled per pass at most (one statement each): a controller catching up does it in steps.</summary>
    internal const int MinutesPerPass = 60;

    internal const int HoursPerPass = 24;

    /// <summary>Delete statements per level and pass at most.</summary>
    internal const int DeletesPerPass = 20;

    /// <summary>Raw samples one delete statement removes at most (the oldest first): a short write transaction.</summary>
    internal const int RawBatch = 20_000;

    /// <summary>The time one delete of rollups covers: 10 minutes of minutes, 6 hours of hours (per probe 10 and 6 rows).</summary>
    private static readonly TimeSpan MinuteSlice = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan HourSlice = TimeSpan.FromHours(6);

    public async Task<RollupPass> RunAsync(SamplesConfig samples, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var minuteRows = await RollAsync(SampleResolution.Minute, SampleResolution.Minute.Floor(now - Settle), MinutesPerPass, cancellationToken);
        var minutesUntil = await store.GetRolledUntilAsync(SampleResolution.Minute, cancellationToken);
        var hourRows = minutesUntil is { } closed
            ? await RollAsync(SampleResolution.Hour, SampleResolution.Hour.Floor(closed), HoursPerPass, cancellationToken)
            : 0;
        var hoursUntil = await store.GetRolledUntilAsync(SampleResolution.Hour, cancellationToken);

        var raw = await DeleteSamplesAsync(Earlier(SampleHistory.RawFrom(samples, now), minutesUntil), cancellationToken);
        var minutes = await DeleteAsync(SampleResolution.Minute, Earlier(SampleHistory.MinutesFrom(samples, now), hoursUntil), MinuteSlice, cancellationToken);
        var hours = await DeleteAsync(SampleResolution.Hour, SampleResolution.Hour.Floor(now - samples.PerHour), HourSlice, cancellationToken);
        return new RollupPass(minuteRows, hourRows, raw, minutes, hours);
    }

    /// <summary>Rolls buckets of <paramref name="resolution"/> that start before <paramref name="closedUntil"/>, from where the last roll ended.</summary>
    private async Task<int> RollAsync(SampleResolution resolution, DateTimeOffset closedUntil, int maxBuckets, CancellationToken cancellationToken)
    {
        var from = await store.GetRolledUntilAsync(resolution, cancellationToken);
        if (from is null)
        {
            var source = resolution == SampleResolution.Minute ? SampleResolution.Raw : SampleResolution.Minute;
            if (await store.GetOldestAsync(source, cancellationToken) is not { } oldest)
            {
                return 0;
            }

            from = resolution.Floor(oldest);
        }

        var rows = 0;
        var start = from.Value;
        for (var i = 0; i < maxBuckets && start < closedUntil; i++)
        {
            var end = start + resolution.Length();
            rows += await store.RollUpAsync(resolution, start, end, cancellationToken);
            start = end;
        }

        return rows;
    }

    private async Task<int> DeleteSamplesAsync(DateTimeOffset? before, CancellationToken cancellationToken)
    {
        var deleted = 0;
        for (var i = 0; before is { } cutoff && i < DeletesPerPass; i++)
        {
            var batch = await store.DeleteSamplesBeforeAsync(cutoff, RawBatch, cancellationToken);
            deleted += batch;
            if (batch < RawBatch)
            {
                break;
            }
        }

        return deleted;
    }

    private async Task<int> DeleteAsync(SampleResolution resolution, DateTimeOffset? before, TimeSpan slice, CancellationToken cancellationToken)
    {
        if (before is not { } cutoff)
        {
            return 0;
        }

        var deleted = 0;
        for (var i = 0; i < DeletesPerPass; i++)
        {
            if (await store.GetOldestAsync(resolution, cancellationToken) is not { } oldest || oldest >= cutoff)
            {
                break;
            }

            var end = oldest + slice < cutoff ? oldest + slice : cutoff;
            deleted += await store.DeleteRollupsAsync(resolution, oldest, end, cancellationToken);
        }

        return deleted;
    }

    /// <summary>The earlier of a retention cutoff and how far the level above is rolled: nothing unrolled is deleted.</summary>
    private static DateTimeOffset? Earlier(DateTimeOffset cutoff, DateTimeOffset? rolledUntil) =>
        rolledUntil is { } rolled ? (rolled < cutoff ? rolled : cutoff) : null;
}
