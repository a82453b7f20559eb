using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rewind.Client;
using Rewind.Core.Incidents;

namespace Rewind.Server.Tests.Api;

public sealed class IncidentEndpointsTests
{
    [Fact]
    public async Task Acknowledge_Twice_FirstIsRecordedOnceAndSecondIs409Problem()
    {
        await using var server = await ServerFixture.StartAsync();
        var incident = await OpenAsync(server);

        var acknowledged = await server.Client.AcknowledgeIncidentAsync(incident.Id, new AcknowledgeIncidentRequest("alice"));
        using var again = await server.Http.PostAsJsonAsync(new Uri($"api/v1/incidents/{incident.Id}/acknowledge", UriKind.Relative), new { by = "bob" });

        acknowledged.AcknowledgedBy.ShouldBe("alice");
        acknowledged.AcknowledgedAt.ShouldNotBeNull();
        acknowledged.Timeline[^1].ShouldBe(new TimelineEventDto(acknowledged.AcknowledgedAt.Value, "acknowledged", "acknowledged by alice", "alice"));
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        again.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("title").GetString().ShouldBe("already acknowledged");
        problem.RootElement.GetProperty("detail").GetString()!.ShouldStartWith($"incident {incident.Id} was acknowledged by alice at ");
        (await server.Client.GetIncidentAsync(incident.Id)).Timeline.Count(e => e.Kind == "acknowledged").ShouldBe(1);
    }

    [Fact]
    public async Task Acknowledge_UnknownIncident_Is404()
    {
        await using var server = await ServerFixture.StartAsync();

        var error = await Should.ThrowAsync<RewindApiException>(() => server.Client.AcknowledgeIncidentAsync("INC-1999-01-01-0001", new AcknowledgeIncidentRequest()));

        (error.Status, error.Title).ShouldBe((404, "unknown incident"));
    }

    [Fact]
    public async Task Notes_TextGoesOnTheTimelineWithItsAuthor_EmptyOrTooLongIs400()
    {
        await using var server = await ServerFixture.StartAsync();
        var incident = await OpenAsync(server);

        var noted = await server.Client.AddIncidentNoteAsync(incident.Id, new IncidentNoteRequest("  checkout | payments failing\nsince 11:20  ", "alice"));
        var empty = await Should.ThrowAsync<RewindApiException>(() => server.Client.AddIncidentNoteAsync(incident.Id, new IncidentNoteRequest(" ", "alice")));
        var tooLong = await Should.ThrowAsync<RewindApiException>(() => server.Client.AddIncidentNoteAsync(incident.Id, new IncidentNoteRequest(new string('x', 4001), "alice")));
        var atLimit = await server.Client.AddIncidentNoteAsync(incident.Id, new IncidentNoteRequest(new string('x', 4000)));

        noted.Timeline[^1].Kind.ShouldBe("note");
        noted.Timeline[^1].Message.ShouldBe("checkout | payments failing\nsince 11:20");
        noted.Timeline[^1].Actor.ShouldBe("alice");
        (empty.Status, empty.Title).ShouldBe((400, "invalid note"));
        (tooLong.Status, tooLong.Title).ShouldBe((400, "invalid note"));
        atLimit.Timeline[^1].Actor.ShouldBe("alice"); // the authenticated user, whatever the body says
        atLimit.Timeline.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Status_ForwardOnly_EveryMoveOnTheTimeline()
    {
        await using var server = await ServerFixture.StartAsync();
        var incident = await OpenAsync(server);

        var mitigating = await server.Client.SetIncidentStatusAsync(incident.Id, new IncidentStatusRequest("mitigating", "alice"));
        var monitoring = await server.Client.SetIncidentStatusAsync(incident.Id, new IncidentStatusRequest("monitoring", "bob"));
        var backward = await Should.ThrowAsync<RewindApiException>(() => server.Client.SetIncidentStatusAsync(incident.Id, new IncidentStatusRequest("mitigating", "carol")));
        var same = await Should.ThrowAsync<RewindApiException>(() => server.Client.SetIncidentStatusAsync(incident.Id, new IncidentStatusRequest("monitoring", "carol")));
        var resolved = await Should.ThrowAsync<RewindApiException>(() => server.Client.SetIncidentStatusAsync(incident.Id, new IncidentStatusRequest("resolved", "carol")));

        mitigating.Status.ShouldBe("mitigating");
        monitoring.Status.ShouldBe("monitoring");
        monitoring.Timeline.Where(e => e.Kind == "status").Select(e => (e.Message, e.Actor)).ShouldBe(
        [
            ("status investigating -> mitigating by alice", "alice"),
            ("status mitigating -> monitoring by alice", "alice"), // the authenticated user, not the body's by
        ]);
        (backward.Status, backward.Title).ShouldBe((409, "status refused"));
        backward.Detail!.ShouldContain("statuses only move forward");
        (same.Status, same.Title).ShouldBe((409, "status refused"));
        (resolved.Status, resolved.Title).ShouldBe((400, "invalid status"));
        (await server.Client.GetIncidentAsync(incident.Id)).Timeline.Count(e => e.Kind == "status").ShouldBe(2);
    }

    [Fact]
    public async Task Resolve_FalsePositive_ShownOnTheIncidentAndNothingMovesAfter()
    {
        await using var server = await ServerFixture.StartAsync();
        var incident = await OpenAsync(server);

        var resolved = await server.Client.ResolveIncidentAsync(incident.Id, new ResolveIncidentRequest("probe flapped; users saw nothing", "alice", FalsePositive: true));
        var ack = await Should.ThrowAsync<RewindApiException>(() => server.Client.AcknowledgeIncidentAsync(incident.Id, new AcknowledgeIncidentRequest("bob")));
        var status = await Should.ThrowAsync<RewindApiException>(() => server.Client.SetIncidentStatusAsync(incident.Id, new IncidentStatusRequest("monitoring", "bob")));
        var again = await Should.ThrowAsync<RewindApiException>(() => server.Client.ResolveIncidentAsync(incident.Id, new ResolveIncidentRequest("again", "bob")));
        var note = await server.Client.AddIncidentNoteAsync(incident.Id, new IncidentNoteRequest("post-mortem on Monday", "bob"));

        (resolved.Status, resolved.FalsePositive).ShouldBe(("resolved", true));
        resolved.Timeline[^1].Message.ShouldBe("resolved by alice as a false positive: probe flapped; users saw nothing");
        (ack.Status, ack.Title).ShouldBe((409, "already resolved"));
        (status.Status, status.Title).ShouldBe((409, "status refused"));
        (again.Status, again.Title).ShouldBe((409, "already resolved"));
        note.FalsePositive.ShouldBeTrue();
        note.Timeline[^1].Message.ShouldBe("post-mortem on Monday");
    }

    [Fact]
    public async Task Report_MarkdownOrHtml_WithTheirContentTypes()
    {
        await using var server = await ServerFixture.StartAsync();
        var incident = await OpenAsync(server);
        await server.Client.AddIncidentNoteAsync(incident.Id, new IncidentNoteRequest("<script>alert(1)</script>", "mallory"));

        using var markdown = await server.Http.GetAsync(new Uri($"api/v1/incidents/{incident.Id}/report", UriKind.Relative));
        using var html = await server.Http.GetAsync(new Uri($"api/v1/incidents/{incident.Id}/report?format=html", UriKind.Relative));
        var pdf = await Should.ThrowAsync<RewindApiException>(() => server.Client.GetIncidentReportAsync(incident.Id, "pdf"));
        var unknown = await Should.ThrowAsync<RewindApiException>(() => server.Client.GetIncidentReportAsync("INC-1999-01-01-0001"));

        markdown.StatusCode.ShouldBe(HttpStatusCode.OK);
        markdown.Content.Headers.ContentType!.ToString().ShouldBe("text/markdown; charset=utf-8");
        (await markdown.Content.ReadAsStringAsync()).ShouldStartWith($"# Post-incident report: {incident.Id}\n");
        html.Content.Headers.ContentType!.ToString().ShouldBe("text/html; charset=utf-8");
        var page = await html.Content.ReadAsStringAsync();
        page.ShouldContain($"<title>Post-incident report: {incident.Id}</title>");
        page.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        page.ShouldNotContain("<script>");
        (pdf.Status, pdf.Title).ShouldBe((400, "invalid format"));
        (unknown.Status, unknown.Title).ShouldBe((404, "unknown incident"));
    }

    [Fact]
    public async Task Metrics_DefaultWindowIs30DaysPerComponentAndOverall()
    {
        await using var server = await ServerFixture.StartAsync();
        var now = TimeProvider.System.GetUtcNow();
        var recent = await server.Store.OpenIncidentAsync("web", Severity.P2, "recent", null, null, now.AddHours(-1), "alice");
        await server.Store.OpenIncidentAsync("api", Severity.P2, "old", null, null, now.AddDays(-40), "alice");
        await server.Client.ResolveIncidentAsync(recent.Id, new ResolveIncidentRequest("noise", "alice", FalsePositive: true));

        var byDefault = await server.Client.GetIncidentMetricsAsync();
        var sixtyDays = await server.Client.GetIncidentMetricsAsync(since: "60d");
        var onlyApi = await server.Client.GetIncidentMetricsAsync("api", since: now.AddDays(-41).ToString("O"));
        var bad = await Should.ThrowAsync<RewindApiException>(() => server.Client.GetIncidentMetricsAsync(since: "last week"));
        var inverted = await Should.ThrowAsync<RewindApiException>(() => server.Client.GetIncidentMetricsAsync(since: "1d", until: "2d"));

        (byDefault.Until - byDefault.Since).ShouldBe(TimeSpan.FromDays(30));
        byDefault.Components.ShouldHaveSingleItem().ShouldBe(new IncidentMetricsRowDto("web", 1, 0, 0, 0, null, null, null, byDefault.Components[0].MeanTimeToRecoverSeconds, 1, 1, 1.0));
        byDefault.Overall.Incidents.ShouldBe(1);
        sixtyDays.Components.Select(c => c.Component).ShouldBe(["api", "web"]);
        (sixtyDays.Overall.Incidents, sixtyDays.Overall.Resolved, sixtyDays.Overall.FalsePositiveRate).ShouldBe((2, 1, 1.0));
        onlyApi.Component.ShouldBe("api");
        onlyApi.Components.ShouldHaveSingleItem().Incidents.ShouldBe(1);
        (bad.Status, bad.Title).ShouldBe((400, "invalid window"));
        (inverted.Status, inverted.Title).ShouldBe((400, "invalid window"));
    }

    private static Task<Incident> OpenAsync(ServerFixture server) =>
        server.Store.OpenIncidentAsync("web", Severity.P2, "web: checkout errors", null, "v2", TimeProvider.System.GetUtcNow(), "alice");
}
