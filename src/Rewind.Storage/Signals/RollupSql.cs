using System.Globalization;
using Rewind.Core.Signals;
using Rewind.Storage.Sql;

namespace Rewind.Storage.Signals;

/// <summary>
/// The SQL of <c>probe_rollups</c>, one text for both databases: the histogram columns (<c>le_N</c>) follow
/// <see cref="LatencyHistogram.Bounds"/>, and raw samples are summed by the same expressions whether the rollup job
/// stores them or a chart reads minutes not rolled yet.
/// </summary>
internal static class RollupSql
{
    private static readonly string[] LeColumns = [.. LatencyHistogram.Bounds.Select(b => "le_" + b.ToString(CultureInfo.InvariantCulture))];

    /// <summary>The value columns, after the key columns.</summary>
    private static readonly string[] Values = ["count", "failures", "latency_sum", "latency_min", "latency_max", .. LeColumns];

    /// <summary>Raw samples summed per bucket, one expression per value column.</summary>
    private static readonly string[] RawSums =
    [
        "COUNT(*)", "SUM(CASE WHEN success THEN 0 ELSE 1 END)", "SUM(latency_ms)", "MIN(latency_ms)", "MAX(latency_ms)",
        .. LatencyHistogram.Bounds.Select(b => $"SUM(CASE WHEN latency_ms <= {b.ToString(CultureInfo.InvariantCulture)} THEN 1 ELSE 0 END)"),
    ];

    /// <summary>Rollups summed into coarser buckets, one expression per value column.</summary>
    private static readonly string[] RollupSums =
        ["SUM(count)", "SUM(failures)", "SUM(latency_sum)", "MIN(latency_min)", "MAX(latency_max)", .. LeColumns.Select(c => $"SUM({c})")];

    private static readonly string Read = "bucket, " + string.Join(", ", Values);

    public static readonly string Stored = $"""
        SELECT {Read} FROM probe_rollups
        WHERE component = @Component AND probe = @Probe AND resolution = @Resolution AND bucket >= @From AND bucket < @To
        ORDER BY bucket
        """;

    public static readonly string SummedRaw = $"""
        SELECT {Read} FROM (
            SELECT at - (at % @Ms) AS bucket, {string.Join(", ", RawSums.Select((sum, i) => $"{sum} AS {Values[i]}"))}
            FROM probe_samples
            WHERE component = @Component AND probe = @Probe AND at >= @From AND at < @To
            GROUP BY 1
        ) summed
        ORDER BY bucket
        """;

    /// <summary>Rolls buckets of <c>@Resolution</c> starting in [@From, @To) from the level below, replacing rows there.</summary>
    public static string Upsert(SampleResolution resolution)
    {
        var source = resolution == SampleResolution.Minute
            ? $"SELECT component, probe, @Resolution, at - (at % @Ms), {string.Join(", ", RawSums)} FROM probe_samples WHERE at >= @From AND at < @To GROUP BY 1, 2, 4"
            : $"SELECT component, probe, @Resolution, bucket - (bucket % @Ms), {string.Join(", ", RollupSums)} FROM probe_rollups WHERE resolution = {(int)SampleResolution.Minute} AND bucket >= @From AND bucket < @To GROUP BY 1, 2, 4";
        var updates = string.Join(", ", Values.Select(c => $"{c} = excluded.{c}"));
        return $"""
            INSERT INTO probe_rollups (component, probe, resolution, bucket, {string.Join(", ", Values)})
            {source}
            ON CONFLICT (component, probe, resolution, bucket) DO UPDATE SET {updates}
            """;
    }

    public static SampleBucket ToBucket(IDictionary<string, object> row, string probe, SampleResolution resolution) => new(
        probe,
        DbValues.FromMs(Convert.ToInt64(row["bucket"], CultureInfo.InvariantCulture)),
        resolution,
        Convert.ToInt64(row["count"], CultureInfo.InvariantCulture),
        Convert.ToInt64(row["failures"], CultureInfo.InvariantCulture),
        Convert.ToDouble(row["latency_sum"], CultureInfo.InvariantCulture),
        Convert.ToDouble(row["latency_min"], CultureInfo.InvariantCulture),
        Convert.ToDouble(row["latency_max"], CultureInfo.InvariantCulture),
        [.. LeColumns.Select(c => Convert.ToInt64(row[c], CultureInfo.InvariantCulture))]);
}
