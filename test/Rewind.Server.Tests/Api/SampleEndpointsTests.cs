using System.Net;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Api;

/// <summary><c>GET /api/v1/components/{name}/samples</c> over a range: raw points inside full resolution, minutes for a day.</summary>
public sealed class SampleEndpointsTests
{
    [Fact]
    public async Task Samples_OverAWindow_AnswerPointsWithTheirResolutionCountAndFailures()
    {
        await using var server = await ServerFixture.StartAsync();

        var hour = await Eventually.WaitAsync(async () => await server.Client.GetSignalHistoryAsync("web", "1h") is { Probes: [{ Samples.Count: >= 2 }] } h ? h : null, TimeSpan.FromSeconds(60), "two samples");
        var day = await server.Client.GetSignalHistoryAsync("web", "24h");
        using var bad = await server.Http.GetAsync(new Uri("api/v1/components/web/samples?window=2h", UriKind.Relative));

        (hour.To - hour.From).ShouldBe(TimeSpan.FromHours(1));
        hour.Probes[0].Samples.ShouldAllBe(s => s.Resolution == "raw" && s.Count == 1 && s.Failures == 1 && !s.Success); // the probe points at a closed port
        day.Probes[0].Samples.ShouldNotBeEmpty();
        day.Probes[0].Samples.ShouldAllBe(s => s.Resolution == "1m" && s.Failures == s.Count && !s.Success);
        day.Probes[0].Samples.Sum(s => s.Count).ShouldBeGreaterThanOrEqualTo(hour.Probes[0].Samples.Count);
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        bad.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
