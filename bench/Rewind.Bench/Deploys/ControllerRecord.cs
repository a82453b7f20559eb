using Rewind.Client;

namespace Rewind.Bench.Deploys;

/// <summary>What a controller's API said after the run: releases per component, rollbacks, incidents with timelines.</summary>
internal sealed record ControllerRecord(
    ControllerRole Role,
    IReadOnlyDictionary<string, IReadOnlyList<ReleaseDto>> Releases,
    IReadOnlyList<RollbackDto> Rollbacks,
    IReadOnlyList<IncidentDto> Incidents)
{
    public static async Task<ControllerRecord> ReadAsync(BenchController controller, IEnumerable<string> components, CancellationToken cancellationToken = default)
    {
        var releases = new Dictionary<string, IReadOnlyList<ReleaseDto>>(StringComparer.Ordinal);
        foreach (var component in components)
        {
            releases[component] = await controller.Client.GetReleasesAsync(component, cancellationToken);
        }

        var incidents = new List<IncidentDto>();
        foreach (var summary in await controller.IncidentsAsync(cancellationToken))
        {
            incidents.Add(await controller.Client.GetIncidentAsync(summary.Id, cancellationToken));
        }

        return new ControllerRecord(controller.Role, releases, await controller.RollbacksAsync(cancellationToken: cancellationToken), incidents);
    }
}
