using Rewind.Core.Incidents;

namespace Rewind.Core.StatusPage;

/// <summary>What customers are told about a component, from best to worst except maintenance, which is announced.</summary>
public enum CustomerState
{
    Operational,
    Degraded,
    Outage,
    Maintenance,
}

/// <summary>
/// Maps what the controller knows onto the four customer-facing states. An active maintenance window wins (it is
/// announced work); then an open incident by severity (P0/P1 outage, P2/P3 degraded); then probe health (a failing
/// probe with no incident yet is degraded). No data yet is operational: the page never claims an outage it cannot see.
/// </summary>
public static class CustomerStates
{
    public static CustomerState Derive(string probeHealth, Severity? openIncident, bool inMaintenance) =>
        inMaintenance ? CustomerState.Maintenance
        : openIncident is Severity.P0 or Severity.P1 ? CustomerState.Outage
        : openIncident is not null ? CustomerState.Degraded
        : probeHealth == "failing" ? CustomerState.Degraded
        : CustomerState.Operational;

    public static string Name(CustomerState state) => state.ToString().ToLowerInvariant();
}
