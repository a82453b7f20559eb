using System.Diagnostics;
using System.Text.Json;
using Rewind.Client;

namespace Rewind.Server.Tests.Dashboard;

/// <summary><c>GET /api/v1/events</c>: change notices for the dashboard, without a browser.</summary>
public sealed class EventStreamTests
{
    [Fact]
    public async Task Events_StartWithHello_ThenAnnounceARecordedReleaseWithinASecond()
    {
        await using var server = await ServerFixture.StartAsync();
        using var stream = await server.Http.GetStreamAsync(new Uri("api/v1/events", UriKind.Relative));
        using var reader = new StreamReader(stream);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        (await NextAsync(reader, limit.Token)).Kind.ShouldBe("hello");
        var clock = Stopwatch.StartNew();
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        ChangeDto change;
        do
        {
            change = await NextAsync(reader, limit.Token);
        }
        while (change.Kind != "component");

        change.Id.ShouldBe("web");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Events_NeedAToken_AndSamplesFeedTheCharts()
    {
        await using var server = await ServerFixture.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        using var refused = await anonymous.GetAsync(new Uri("api/v1/events", UriKind.Relative));
        var history = await TestUtils.Eventually.WaitAsync(async () => await server.Client.GetSignalHistoryAsync("web") is { Probes: [{ Samples.Count: >= 2 }] } h ? h : null, TimeSpan.FromSeconds(10), "two samples");

        refused.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        history.Probes[0].Probe.ShouldBe("health");
        history.Probes[0].Samples.ShouldAllBe(s => !s.Success); // the probe points at a closed port
        history.Probes[0].Samples.Select(s => s.At).ShouldBeInOrder();
        history.Traffic.ShouldBeEmpty();
    }

    private static async Task<ChangeDto> NextAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonSerializer.Deserialize<ChangeDto>(line["data: ".Length..], RewindJson.Options)!;
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}
