using System.Diagnostics;
using System.Text.Json;
using Rewind.Client;
using Rewind.TestUtils;

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
        var history = await TestUtils.Eventually.WaitAsync(async () => await server.Client.GetSignalHistoryAsync("web") is { Probes: [{ Samples.Count: >= 2 }] } h ? h : null, TimeSpan.FromSeconds(60), "two samples");

        refused.StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        history.Probes[0].Probe.ShouldBe("health");
        history.Probes[0].Samples.ShouldAllBe(s => !s.Success); // the probe points at a closed port
        history.Probes[0].Samples.Select(s => s.At).ShouldBeInOrder();
        history.Traffic.ShouldBeEmpty();
    }

    [Fact]
    public async Task Events_UserAtItsLimit_IsRefusedOneMore_WhileAnotherUserStillGetsAStream()
    {
        await using var server = await ServerFixture.StartAsync(serverExtra: "limits: { event-streams-per-user: 2 }");
        await server.Client.CreateUserAsync(new CreateUserRequest("vera", [Rewind.Core.Access.Roles.Viewer]));
        var vera = await server.Client.CreateTokenAsync("vera", new CreateTokenRequest("laptop"));
        using var asVera = server.HttpAs(vera.Token);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var held = new List<HttpResponseMessage>();
        for (var i = 0; i < 2; i++)
        {
            var open = await asVera.GetAsync(new Uri("api/v1/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, limit.Token);
            held.Add(open);
            (await NextAsync(new StreamReader(await open.Content.ReadAsStreamAsync(limit.Token)), limit.Token)).Kind.ShouldBe("hello");
        }

        using var third = await asVera.GetAsync(new Uri("api/v1/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, limit.Token);
        using var alices = await server.Http.GetAsync(new Uri("api/v1/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, limit.Token);
        var alicesFirst = await NextAsync(new StreamReader(await alices.Content.ReadAsStreamAsync(limit.Token)), limit.Token);
        held[0].Dispose(); // vera closes a tab: the stream is hers again
        var again = await Eventually.WaitAsync(
            async () =>
            {
                var response = await asVera.GetAsync(new Uri("api/v1/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, limit.Token);
                if (response.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    return response;
                }

                response.Dispose();
                return null;
            },
            TimeSpan.FromSeconds(10),
            "a stream for vera once she closed one");

        third.StatusCode.ShouldBe(System.Net.HttpStatusCode.TooManyRequests);
        third.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await third.Content.ReadAsStringAsync(limit.Token)).ShouldContain("vera has 2 event streams open already");
        third.Headers.RetryAfter.ShouldNotBeNull();
        alices.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        alicesFirst.Kind.ShouldBe("hello");
        again.Dispose();
        held[1].Dispose();
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
