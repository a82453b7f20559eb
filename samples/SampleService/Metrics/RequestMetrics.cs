using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace SampleService.Metrics;

/// <summary>
/// Request counts per (route, status code) and the latency histogram of <c>/</c>. Counts are lock-free; the
/// histogram takes a small lock so a scrape never sees a bucket, the sum and the count from different moments.
/// </summary>
internal sealed class RequestMetrics
{
    /// <summary>Upper bounds in seconds, the Prometheus client defaults; the last bucket (+Inf) is implicit.</summary>
    public static readonly IReadOnlyList<double> BucketBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly ConcurrentDictionary<(string Route, int Code), StrongBox<long>> _requests = new();
    private readonly Lock _histogramGate = new();
    private readonly long[] _bucketCounts = new long[BucketBounds.Count + 1];
    private double _durationSum;

    public void CountRequest(string route, int statusCode) =>
        Interlocked.Increment(ref _requests.GetOrAdd((route, statusCode), static _ => new StrongBox<long>()).Value);

    public void ObserveHomeDuration(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        var bucket = 0;
        while (bucket < BucketBounds.Count && seconds > BucketBounds[bucket])
        {
            bucket++;
        }

        lock (_histogramGate)
        {
            _bucketCounts[bucket]++;
            _durationSum += seconds;
        }
    }

    public IReadOnlyList<(string Route, int Code, long Count)> RequestCounts() =>
        [.. _requests
            .Select(pair => (pair.Key.Route, pair.Key.Code, Interlocked.Read(ref pair.Value.Value)))
            .OrderBy(row => row.Route, StringComparer.Ordinal)
            .ThenBy(row => row.Code)];

    /// <summary>Cumulative counts per bucket (the last is +Inf, the total count) and the sum, taken together.</summary>
    public (long[] Cumulative, double Sum) HomeDurations()
    {
        lock (_histogramGate)
        {
            var cumulative = new long[_bucketCounts.Length];
            long running = 0;
            for (var i = 0; i < _bucketCounts.Length; i++)
            {
                running += _bucketCounts[i];
                cumulative[i] = running;
            }

            return (cumulative, _durationSum);
        }
    }
}
