using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.StatusPage;

namespace Rewind.Core.Tests.StatusPage;

public sealed class CustomerStatesTests
{
    [Theory]
    [InlineData("healthy", null, false, CustomerState.Operational)]
    [InlineData("unknown", null, false, CustomerState.Operational)]
    [InlineData("failing", null, false, CustomerState.Degraded)]
    [InlineData("healthy", Severity.P0, false, CustomerState.Outage)]
    [InlineData("failing", Severity.P1, false, CustomerState.Outage)]
    [InlineData("failing", Severity.P2, false, CustomerState.Degraded)]
    [InlineData("healthy", Severity.P3, false, CustomerState.Degraded)]
    [InlineData("failing", Severity.P0, true, CustomerState.Maintenance)]
    [InlineData("healthy", null, true, CustomerState.Maintenance)]
    public void Derive_HealthIncidentAndMaintenance_MapToTheDocumentedState(string health, Severity? incident, bool maintenance, CustomerState expected) =>
        CustomerStates.Derive(health, incident, maintenance).ShouldBe(expected);

    [Fact]
    public void ForIncident_Default_NamesThePublicComponent() =>
        CustomerMessages.ForIncident(new StatusPageConfig(), Severity.P1, "Checkout").ShouldBe("We are investigating an outage of Checkout.");

    [Fact]
    public void ForIncident_Overridden_UsesTheConfiguredText()
    {
        var page = new StatusPageConfig { Messages = { ["P2"] = "{component} is slower than usual." } };

        CustomerMessages.ForIncident(page, Severity.P2, "Search").ShouldBe("Search is slower than usual.");
        CustomerMessages.ForIncident(page, Severity.P3, "Search").ShouldBe("We are looking into a minor issue with Search.");
        CustomerMessages.ForMaintenance(page, "Search").ShouldBe("Search is undergoing scheduled maintenance.");
    }
}
