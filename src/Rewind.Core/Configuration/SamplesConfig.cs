namespace Rewind.Core.Configuration;

/// <summary>
/// <c>samples</c>: how long probe samples are kept, by time. Every sample is kept for <see cref="FullResolution"/>;
/// older ones live on as per-minute rollups for <see cref="PerMinute"/> and as per-hour rollups for <see cref="PerHour"/>
/// (each window counted back from now). A rollup keeps the count, the failures, the latency sum, min and max and a
/// latency histogram: enough for availability, mean, max and percentiles on the charts and in incident reports.
/// </summary>
public sealed class SamplesConfig
{
    /// <summary>How long every sample is kept as it was taken. Default 6h; from 10m to 7d.</summary>
    public TimeSpan FullResolution { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long per-minute rollups are kept. Default 14d; at least full-resolution, at most 400d.</summary>
    public TimeSpan PerMinute { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long per-hour rollups are kept. Default 400d; at least per-minute, at most 3650d.</summary>
    public TimeSpan PerHour { get; set; } = TimeSpan.FromDays(400);
}
