using Rewind.Client;
using Rewind.Server.StatusPage;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.StatusPage;

public sealed class StatusPageHtmlTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 11, 24, 19, TimeSpan.Zero);

    [Fact]
    public void Render_IncidentAndMaintenance_MatchesTheApprovedPage()
    {
        var status = new PublicStatusDto(
            "Example <status>",
            "outage",
            At,
            [new PublicComponentDto("Website", "outage"), new PublicComponentDto("Public API", "maintenance", At.AddHours(1)), new PublicComponentDto("Search & \"Browse\"", "operational")],
            [
                new PublicIncidentDto("Website", "outage", "investigating", "We are investigating an outage of Website.", At.AddMinutes(-4)),
                new PublicIncidentDto("Public API", "maintenance", "maintenance", "Public API is undergoing scheduled maintenance.", At.AddMinutes(-20)),
            ]);

        Approved.Verify("status-page", StatusPageHtml.Render(status), Repository.TestProject("Rewind.Server.Tests"));
    }

    [Fact]
    public void Render_AllOperational_SaysSoWithoutAnIncidentList()
    {
        var html = StatusPageHtml.Render(new PublicStatusDto("Service status", "operational", At, [new PublicComponentDto("web", "operational")], []));

        html.ShouldContain("All systems operational");
        html.ShouldNotContain("Current incidents");
    }
}
