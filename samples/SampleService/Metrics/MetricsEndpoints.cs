using System.Diagnostics;
using System.Globalization;

namespace SampleService.Metrics;

/// <summary>Counts requests to <c>/</c> and <c>/health</c>, and serves <c>GET /metrics</c> for Prometheus to scrape.</summary>
internal static class MetricsEndpoints
{
    private const string Home = "/";
    private const string Health = "/health";

    /// <summary>
    /// Records the status each counted route answered with. A request the client abandons has no status to count;
    /// <c>/metrics</c> and <c>/admin</c> are not counted so a scraper or an operator does not change what it reads.
    /// </summary>
    public static void UseRequestMetrics(this IApplicationBuilder app, RequestMetrics metrics, TimeProvider timeProvider) =>
        app.Use(async (context, next) =>
        {
            var route = context.Request.Path.Value;
            if (route is not (Home or Health))
            {
                await next(context);
                return;
            }

            var started = timeProvider.GetTimestamp();
            await next(context);
            metrics.CountRequest(route, context.Response.StatusCode);
            if (route == Home)
            {
                metrics.ObserveHomeDuration(timeProvider.GetElapsedTime(started));
            }
        });

    public static void MapMetrics(this IEndpointRouteBuilder app, RequestMetrics metrics, ReleaseInfo release)
    {
        var startTime = ProcessStartTime();
        app.MapGet("/metrics", () => Results.Text(Render(metrics, release.Version, startTime), PrometheusText.ContentType));
    }

    private static string Render(RequestMetrics metrics, string version, DateTimeOffset startTime)
    {
        var text = new PrometheusText().Family("http_requests_total", "counter", "Requests to / and /health by route and status code.");
        foreach (var (route, code, count) in metrics.RequestCounts())
        {
            text.Sample("http_requests_total", count, ("route", route), ("code", code.ToString(CultureInfo.InvariantCulture)));
        }

        text.Family("http_request_duration_seconds", "histogram", "Time to answer requests to /, added latency included.");
        var (cumulative, sum) = metrics.HomeDurations();
        for (var i = 0; i < cumulative.Length; i++)
        {
            var bound = i < RequestMetrics.BucketBounds.Count ? RequestMetrics.BucketBounds[i] : double.PositiveInfinity;
            text.Sample("http_request_duration_seconds_bucket", cumulative[i], ("route", Home), ("le", PrometheusText.Number(bound)));
        }

        return text
            .Sample("http_request_duration_seconds_sum", sum, ("route", Home))
            .Sample("http_request_duration_seconds_count", cumulative[^1], ("route", Home))
            .Family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
            .Sample("process_resident_memory_bytes", ResidentMemoryBytes())
            .Family("process_start_time_seconds", "gauge", "Start time of the process since the unix epoch in seconds; a change means a restart.")
            .Sample("process_start_time_seconds", startTime.ToUnixTimeMilliseconds() / 1000.0)
            .Family("sample_release_info", "gauge", "The release this process runs, from its release.json.")
            .Sample("sample_release_info", 1, ("version", version))
            .ToString();
    }

    /// <summary>The second field of /proc/self/statm counts resident pages; elsewhere the runtime's working set stands in.</summary>
    private static long ResidentMemoryBytes()
    {
        const string Statm = "/proc/self/statm";
        var fields = File.Exists(Statm) ? File.ReadAllText(Statm).Split(' ') : [];
        return fields.Length > 1 && long.TryParse(fields[1], CultureInfo.InvariantCulture, out var pages)
            ? pages * Environment.SystemPageSize
            : Environment.WorkingSet;
    }

    private static DateTimeOffset ProcessStartTime()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime());
    }
}
