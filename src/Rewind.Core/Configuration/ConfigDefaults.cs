namespace Rewind.Core.Configuration;

/// <summary>Defaults that depend on other keys, applied after binding and before validation.</summary>
internal static class ConfigDefaults
{
    /// <summary>The probe a <c>postgres</c> component gets when it declares none.</summary>
    public const string PostgresProbe = "up";

    /// <summary>
    /// A <c>postgres</c> component without probes gets one: <c>up</c>, <c>select 1</c> on its provider's URL, so a
    /// cluster declared only for its backups needs no probe written out. An HTTP probe named by a <c>version-source</c>
    /// reads the serving version from its answer.
    /// </summary>
    public static void Apply(RewindConfig config)
    {
        foreach (var component in config.Components.Values)
        {
            if (component.Probes.Count == 0 && component.Provider.Postgres is { } postgres && PostgresUrl.TryParse(postgres.Url, out _))
            {
                component.Probes[PostgresProbe] = new ProbeConfig { Postgres = new PostgresProbeConfig { Url = postgres.Url } };
            }

            if (component.VersionSource is { Probe: { } name, Field: { Length: > 0 } field } && component.Probes.TryGetValue(name, out var probe) && probe.Http is { } http)
            {
                http.VersionField = field; // the probe reads the serving version from the answer it gets anyway
            }

            var plans = component.Policies.Values.Select(p => p.Plan).Append(component.Plan).Append(component.Verify.Smoke);
            foreach (var step in plans.OfType<List<PlanStepConfig>>().SelectMany(steps => steps))
            {
                PlaceOnTheClusterHost(config, step);
            }
        }
    }

    /// <summary>A snapshot or restore runs where the cluster is: on the host its component names, by that host's agent.</summary>
    private static void PlaceOnTheClusterHost(RewindConfig config, PlanStepConfig step)
    {
        if (step.Snapshot is { } snapshot && config.Components.GetValueOrDefault(snapshot.Component) is { } snapshotted)
        {
            (snapshot.Host, snapshot.UnreachableWait) = (snapshotted.Host, snapshotted.Unreachable.Wait);
        }

        if (step.Restore is { } restore && config.Components.GetValueOrDefault(restore.Component) is { } restored)
        {
            (restore.Host, restore.UnreachableWait) = (restored.Host, restored.Unreachable.Wait);
        }
    }
}
