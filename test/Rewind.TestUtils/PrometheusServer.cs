using System.Text.Json;
using Shouldly;

namespace Rewind.TestUtils;

/// <summary>
/// The Prometheus server named by REWIND_TEST_PROMETHEUS (./test.sh starts one for the whole run, scraping every 1s),
/// whose file_sd directory REWIND_TEST_PROMETHEUS_TARGETS lets a test add scrape targets. Without the variables the
/// test fails: the Prometheus tests are never skipped.
/// </summary>
public sealed class PrometheusServer
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private PrometheusServer(string url, string targets)
    {
        Url = url;
        TargetsDirectory = targets;
    }

    /// <summary>e.g. <c>http://127.0.0.1:59090</c>, without a trailing slash.</summary>
    public string Url { get; }

    public string TargetsDirectory { get; }

    public static PrometheusServer FromEnvironment()
    {
        var url = Environment.GetEnvironmentVariable("REWIND_TEST_PROMETHEUS");
        var targets = Environment.GetEnvironmentVariable("REWIND_TEST_PROMETHEUS_TARGETS");
        url.ShouldNotBeNullOrEmpty("REWIND_TEST_PROMETHEUS is not set; ./test.sh starts a throwaway Prometheus and sets it");
        targets.ShouldNotBeNullOrEmpty("REWIND_TEST_PROMETHEUS_TARGETS is not set; ./test.sh starts a throwaway Prometheus and sets it");
        Directory.Exists(targets).ShouldBeTrue($"REWIND_TEST_PROMETHEUS_TARGETS names no directory: {targets}");
        return new PrometheusServer(url.TrimEnd('/'), targets);
    }

    /// <summary>
    /// Makes Prometheus scrape <c>http://{hostPort}/metrics</c> under a job label of its own, and waits until it has
    /// (<c>up{job="…"} == 1</c>; new targets are picked up within about 5 s). Disposing the target removes it.
    /// </summary>
    public async Task<ScrapeTarget> AddTargetAsync(string hostPort)
    {
        var job = $"test-{Guid.NewGuid():N}";
        var file = Path.Combine(TargetsDirectory, job + ".json");
        var json = JsonSerializer.Serialize(new[] { new { targets = new[] { hostPort }, labels = new Dictionary<string, string> { ["job"] = job } } });
        var partial = file + ".partial"; // not *.json: Prometheus never reads a half-written file
        await File.WriteAllTextAsync(partial, json);
        File.Move(partial, file, overwrite: true);
        var target = new ScrapeTarget(job, file);
        try
        {
            await Eventually.WaitAsync(async () => await SeriesCountAsync($"up{{job=\"{job}\"}} == 1") == 1, TimeSpan.FromSeconds(45), $"Prometheus to scrape {hostPort} as job {job}");
        }
        catch
        {
            target.Dispose();
            throw;
        }

        return target;
    }

    /// <summary>How many series an instant query returns (0 for an error or a scalar).</summary>
    public async Task<int> SeriesCountAsync(string promql)
    {
        var body = await Http.GetStringAsync(new Uri($"{Url}/api/v1/query?query={Uri.EscapeDataString(promql)}"));
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data") is { ValueKind: JsonValueKind.Object } data
            && data.GetProperty("resultType").GetString() == "vector"
                ? data.GetProperty("result").GetArrayLength()
                : 0;
    }
}

/// <summary>A scrape target written into the file_sd directory; disposing deletes its file, so scraping stops.</summary>
public sealed class ScrapeTarget(string job, string file) : IDisposable
{
    /// <summary>The target's unique <c>job</c> label, for selectors like <c>up{job="…"}</c>.</summary>
    public string Job { get; } = job;

    public void Dispose() => File.Delete(file);
}
