using System.Net;
using System.Net.Http.Json;
using Rewind.Client;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.StatusPage;

/// <summary>The public status page on a real controller: customer states and words, and nothing internal.</summary>
public sealed class StatusPageTests
{
    private const string Policy = "{ checkout-latency-guard: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: notify } }";

    // A second component, "api", whose probe also fails (closed port) but has no policy: degraded, no incident.
    private const string SecondComponent = """
        bake-time: 5m
          api:
            provider:
              release-dir: { path: app }
            probes:
              health: { http: { url: "http://127.0.0.1:9/ready" }, interval: 200ms, timeout: 100ms }
        """;

    [Fact]
    public async Task Get_OpenIncident_ShowsCustomerWordingAndNoInternalDetail()
    {
        await using var server = await ServerFixture.StartAsync(
            policies: Policy,
            componentExtra: SecondComponent,
            extra: "status-page:\n  title: Example status\n  components:\n    web: { public-name: Tom & Jerry <Shop> }\n    api: { public-name: Public API }");
        Directory.CreateDirectory(Path.Combine(server.AppRoot, "releases", "v2.7.13"));
        await server.Client.RecordReleaseAsync("web", new RecordReleaseRequest("v2.7.13"));
        var incident = await Eventually.WaitAsync(async () => (await server.Client.GetIncidentsAsync()) is [var i, ..] ? await server.Client.GetIncidentAsync(i.Id) : null, TimeSpan.FromSeconds(60), "an incident");
        await Eventually.WaitAsync(async () => (await server.Client.GetComponentAsync("api")).Health == "failing" ? "" : null, TimeSpan.FromSeconds(60), "api to fail");
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        var status = await anonymous.GetFromJsonAsync<PublicStatusDto>(new Uri("status.json", UriKind.Relative), RewindJson.Options);
        var json = await anonymous.GetStringAsync(new Uri("status.json", UriKind.Relative));
        using var response = await anonymous.GetAsync(new Uri("status", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        status!.Title.ShouldBe("Example status");
        status.Status.ShouldBe("outage");
        status.Components.ShouldBe([new PublicComponentDto("Tom & Jerry <Shop>", "outage"), new PublicComponentDto("Public API", "degraded")]);
        var shown = status.Incidents.ShouldHaveSingleItem();
        shown.ShouldBe(new PublicIncidentDto("Tom & Jerry <Shop>", "outage", "investigating", "We are investigating an outage of Tom & Jerry <Shop>.", incident.OpenedAt));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldContain("<meta http-equiv=\"refresh\" content=\"30\">");
        html.ShouldContain("name=\"viewport\"");
        html.ShouldNotContain("<script");
        html.ShouldContain("We are investigating an outage of Tom &amp; Jerry &lt;Shop&gt;.");
        html.ShouldNotContain("<Shop>");
        html.ShouldContain("Public API");
        var evidence = incident.Timeline.First(e => e.Kind == "evidence").Message;
        foreach (var page in new[] { json, html })
        {
            foreach (var secret in new[] { "v2.7.13", "checkout-latency-guard", evidence, incident.Title, incident.Id, "127.0.0.1", "alice", "refused", "web\"" })
            {
                page.ShouldNotContain(secret, Case.Insensitive);
            }
        }
    }

    [Fact]
    public async Task Get_Maintenance_ShowsMaintenanceWithoutTheReasonOrWho()
    {
        await using var server = await ServerFixture.StartAsync(extra: "status-page:\n  messages:\n    maintenance: \"{component} is being upgraded.\"");
        await server.Client.StartMaintenanceAsync("web", new MaintenanceRequest("30m", "swap disks on db-7.internal"));
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        var json = await anonymous.GetStringAsync(new Uri("status.json", UriKind.Relative));
        var html = await anonymous.GetStringAsync(new Uri("status", UriKind.Relative));
        var status = System.Text.Json.JsonSerializer.Deserialize<PublicStatusDto>(json, RewindJson.Options)!;

        status.Status.ShouldBe("maintenance");
        status.Components.ShouldHaveSingleItem().State.ShouldBe("maintenance");
        status.Components[0].MaintenanceUntil.ShouldNotBeNull();
        status.Incidents.ShouldHaveSingleItem().Message.ShouldBe("web is being upgraded.");
        html.ShouldContain("Scheduled maintenance in progress");
        html.ShouldContain("web is being upgraded.");
        foreach (var page in new[] { json, html })
        {
            page.ShouldNotContain("db-7", Case.Insensitive);
            page.ShouldNotContain("alice", Case.Insensitive);
        }
    }

    [Fact]
    public async Task Get_HiddenComponent_IsAbsent()
    {
        await using var server = await ServerFixture.StartAsync(
            componentExtra: SecondComponent,
            extra: "status-page:\n  components:\n    api: { hidden: true }");
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };

        var status = await anonymous.GetFromJsonAsync<PublicStatusDto>(new Uri("status.json", UriKind.Relative), RewindJson.Options);
        var html = await anonymous.GetStringAsync(new Uri("status", UriKind.Relative));

        status!.Components.Select(c => c.Name).ShouldBe(["web"]);
        html.ShouldContain("<span>web</span>");
        html.ShouldNotContain("api", Case.Insensitive);
    }
}
