using Rewind.Client;
using Rewind.Core.Incidents;
using Rewind.Core.StatusPage;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;

namespace Rewind.Server.StatusPage;

/// <summary>
/// Builds what the public status page shows from probe health, open incidents and maintenance windows. Only public
/// names, customer states, configured customer messages and times leave here: never an incident's title, timeline,
/// policy, release or the people involved.
/// </summary>
internal sealed class PublicStatusReader(ConfigHolder config, IStore store, HealthBoard board, TimeProvider time)
{
    public async Task<PublicStatusDto> ReadAsync(CancellationToken cancellationToken = default)
    {
        var current = config.Current;
        var page = current.StatusPage;
        var now = time.GetUtcNow();
        var components = new List<PublicComponentDto>();
        var incidents = new List<PublicIncidentDto>();
        foreach (var (name, component) in current.Components)
        {
            var shown = page.Components.GetValueOrDefault(name);
            if (shown?.Hidden == true)
            {
                continue;
            }

            var publicName = shown?.PublicName ?? name;
            var incident = await store.GetOpenIncidentAsync(name, cancellationToken);
            var maintenance = await store.GetActiveMaintenanceAsync(name, now, cancellationToken);
            var state = CustomerStates.Derive(board.Health(name, HealthBoard.Thresholds(component)), incident?.Severity, maintenance is not null);
            components.Add(new PublicComponentDto(publicName, CustomerStates.Name(state), maintenance?.EndsAt));
            if (maintenance is not null)
            {
                incidents.Add(new PublicIncidentDto(publicName, CustomerStates.Name(CustomerState.Maintenance), "maintenance", CustomerMessages.ForMaintenance(page, publicName), maintenance.StartsAt));
            }

            if (incident is not null)
            {
                var impact = CustomerStates.Derive("healthy", incident.Severity, inMaintenance: false);
                incidents.Add(new PublicIncidentDto(publicName, CustomerStates.Name(impact), incident.Status.ToString().ToLowerInvariant(), CustomerMessages.ForIncident(page, incident.Severity, publicName), incident.OpenedAt));
            }
        }

        return new PublicStatusDto(page.Title, CustomerStates.Name(Overall(components)), now, components, [.. incidents.OrderByDescending(i => i.Since)]);
    }

    private static CustomerState Overall(IEnumerable<PublicComponentDto> components)
    {
        var states = components.Select(c => Enum.Parse<CustomerState>(c.State, ignoreCase: true)).ToList();
        return states.Contains(CustomerState.Outage) ? CustomerState.Outage
            : states.Contains(CustomerState.Degraded) ? CustomerState.Degraded
            : states.Contains(CustomerState.Maintenance) ? CustomerState.Maintenance
            : CustomerState.Operational;
    }
}
