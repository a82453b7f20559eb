using Rewind.Core.Signals;

namespace Rewind.Core.Storage;

/// <summary>
/// Probe samples kept by time: raw rows at full resolution, then per-minute and per-hour rollups (<see cref="SampleBucket"/>).
/// Minutes are rolled from raw samples, hours from minutes; each resolution records how far it is rolled, so a pass is
/// incremental and rolling a range again writes the same rows.
/// </summary>
public interface IRollupStore
{
    /// <summary>Every bucket of <paramref name="resolution"/> that starts before this is rolled; null before the first roll.</summary>
    Task<DateTimeOffset?> GetRolledUntilAsync(SampleResolution resolution, CancellationToken cancellationToken = default);

    /// <summary>
    /// Rolls the buckets of <paramref name="resolution"/> (minute or hour) that start in [<paramref name="from"/>,
    /// <paramref name="until"/>) from the level below, replacing rollup rows already there, and records <paramref name="until"/>
    /// as rolled, in one transaction. Returns the rows written.
    /// </summary>
    Task<int> RollUpAsync(SampleResolution resolution, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>The time of the oldest row of <paramref name="resolution"/> (raw samples or rollups), or null when none.</summary>
    Task<DateTimeOffset?> GetOldestAsync(SampleResolution resolution, CancellationToken cancellationToken = default);

    /// <summary>Deletes the oldest raw samples taken before <paramref name="before"/>, at most <paramref name="limit"/>, along the time index; returns how many.</summary>
    Task<int> DeleteSamplesBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes the rollups of <paramref name="resolution"/> whose buckets start in [<paramref name="from"/>, <paramref name="before"/>): one range of the time index.</summary>
    Task<int> DeleteRollupsAsync(SampleResolution resolution, DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>The raw samples of a probe in [<paramref name="from"/>, <paramref name="until"/>), oldest first, at most <paramref name="limit"/> (the newest).</summary>
    Task<IReadOnlyList<ProbeSample>> GetSamplesAsync(string component, string probe, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken = default);

    /// <summary>The stored rollups of a probe whose buckets start in [<paramref name="from"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<SampleBucket>> GetRollupsAsync(string component, string probe, SampleResolution resolution, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// The raw samples of a probe in [<paramref name="from"/>, <paramref name="until"/>) summed into buckets of
    /// <paramref name="resolution"/> by the same SQL the rollup uses, oldest first: the buckets not rolled yet.
    /// </summary>
    Task<IReadOnlyList<SampleBucket>> SumSamplesAsync(string component, string probe, SampleResolution resolution, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default);
}
