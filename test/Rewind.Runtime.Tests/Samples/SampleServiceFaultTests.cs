using Rewind.TestUtils;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Samples;

public sealed class SampleServiceFaultTests : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task AdminFault_ErrorFractionOne_FailsEveryHomeRequestUntilSetBack()
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", "none");
        await deployment.StartAsync("v1");

        using var set = await PostFaultAsync(deployment, """{"errorFraction": 1}""");
        var failing = await HomeCodesAsync(deployment, 20);
        using var reset = await PostFaultAsync(deployment, """{"errorFraction": 0}""");
        var healthy = await HomeCodesAsync(deployment, 20);

        set.StatusCode.ShouldBe(HttpStatusCode.OK);
        failing.ShouldAllBe(code => code == HttpStatusCode.InternalServerError);
        healthy.ShouldAllBe(code => code == HttpStatusCode.OK);
    }

    [Fact]
    public async Task AdminFault_Get_ShowsReleaseFaultsMergedWithUpdates()
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", new SampleFaults(ErrorFraction: 0.25, AddedLatencyMs: 5));
        await deployment.StartAsync("v1");

        var atStart = await GetFaultAsync(deployment);
        using var _ = await PostFaultAsync(deployment, """{"addedLatencyMs": 0}""");
        var updated = await GetFaultAsync(deployment);

        atStart.ShouldBe("""{"errorFraction":0.25,"addedLatencyMs":5,"memoryGrowthMbPerMinute":0}""");
        updated.ShouldBe("""{"errorFraction":0.25,"addedLatencyMs":0,"memoryGrowthMbPerMinute":0}""");
    }

    [Theory]
    [InlineData("""{"errorFraction": 1.5}""", "errorFraction")]
    [InlineData("""{"addedLatencyMs": 60001}""", "addedLatencyMs")]
    [InlineData("""{"memoryGrowthMbPerMinute": -1}""", "memoryGrowthMbPerMinute")]
    [InlineData("""{"errorFraction": "half"}""", "body")]
    [InlineData("""{"errorFraktion": 1}""", "body")]
    [InlineData("not json", "body")]
    public async Task AdminFault_InvalidBody_AnswersProblemDetailsAndChangesNothing(string body, string field)
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", "none");
        await deployment.StartAsync("v1");

        using var response = await PostFaultAsync(deployment, body);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(400);
        problem.RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.RootElement.ToString());
        (await GetFaultAsync(deployment)).ShouldBe("""{"errorFraction":0,"addedLatencyMs":0,"memoryGrowthMbPerMinute":0}""");
    }

    [Fact]
    public async Task AdminFault_MemoryGrowth_RaisesResidentMemory()
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", "none");
        await deployment.StartAsync("v1");
        var before = (await MetricsScrape.ReadAsync(_http, deployment.BaseUrl)).Value("process_resident_memory_bytes");

        using var _ = await PostFaultAsync(deployment, """{"memoryGrowthMbPerMinute": 256}""");

        // 256 MB a minute is about 4 MB a second: 32 MB more shows within seconds, well inside the deadline.
        await Eventually.WaitAsync(
            async () => (await MetricsScrape.ReadAsync(_http, deployment.BaseUrl)).Value("process_resident_memory_bytes") >= before + (32 * 1024 * 1024),
            TimeSpan.FromSeconds(45),
            "resident memory to grow by 32 MB");
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> PostFaultAsync(SampleDeployment deployment, string json) =>
        _http.PostAsync(new Uri(deployment.BaseUrl + "/admin/fault"), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    private Task<string> GetFaultAsync(SampleDeployment deployment) =>
        _http.GetStringAsync(new Uri(deployment.BaseUrl + "/admin/fault"));

    private async Task<List<HttpStatusCode>> HomeCodesAsync(SampleDeployment deployment, int count)
    {
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await _http.GetAsync(new Uri(deployment.BaseUrl + "/"));
            codes.Add(response.StatusCode);
        }

        return codes;
    }
}
