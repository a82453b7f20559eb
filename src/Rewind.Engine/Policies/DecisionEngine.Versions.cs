using System.Collections.Concurrent;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Engine.Hosting;
using Rewind.Engine.Releases;

namespace Rewind.Engine.Policies;

/// <summary>
/// The serving version, read from the component's version source. When it equals the recorded release, that release
/// is marked as seen serving. When it differs, that is drift: with <c>on-drift: record</c> the serving version is
/// recorded as a deploy in progress; otherwise an incident pages and, until the serving release is recorded, no policy
/// acts on the component and its traffic is charged to the version that served it, never to the recorded one. A
/// release marked bad or rolled back that serves again always pages.
/// </summary>
internal sealed partial class DecisionEngine
{
    /// <summary>The incident policy name of drift, so that it resolves when the drift ends.</summary>
    private const string DriftPolicy = "drift";

    private readonly ConcurrentDictionary<string, ServingVersion> _serving = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _drifting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _versionReadAt = new(StringComparer.Ordinal);

    /// <summary>A reading of the serving version (a probe's answer, a scrape, the release-dir link, a command).</summary>
    public async Task ObserveVersionAsync(string componentName, string version, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (config.Component(componentName) is not { VersionSource: { } source } component)
        {
            return;
        }

        if (!ReleaseVersion.IsValid(version))
        {
            EngineLog.VersionUnreadable(logger, componentName, source.Describe(), version.Length > 70 ? version[..70] : version);
            return;
        }

        _versionReadAt[componentName] = at;
        await WithLockAsync(componentName, async () =>
        {
            var seen = _serving.AddOrUpdate(componentName, _ => new ServingVersion(version, at), (_, old) => string.Equals(old.Version, version, StringComparison.Ordinal) ? old : new ServingVersion(version, at));
            await ReconcileAsync(componentName, component, source, seen, cancellationToken);
        });
    }

    private async Task ReconcileAsync(string componentName, ComponentConfig component, VersionSourceConfig source, ServingVersion seen, CancellationToken cancellationToken, bool fresh = false)
    {
        var held = fresh ? await facts.ReadAsync(componentName, cancellationToken) : await facts.GetAsync(componentName, cancellationToken);
        var recorded = held.Version;
        if (string.Equals(recorded, seen.Version, StringComparison.Ordinal))
        {
            await MarkServedAsync(componentName, seen.Version, seen.Since, cancellationToken);
            await EndDriftAsync(componentName, seen.Version, cancellationToken);
            return;
        }

        if (recorded is not null && (held.Release is { State: ReleaseState.Deploying }
            || (_deployStarts.TryGetValue(componentName, out var started) && string.Equals(started.Version, recorded, StringComparison.Ordinal))))
        {
            return; // a deploy of the recorded release is in progress: another version serving is the switch not yet done
        }

        if (_drifting.TryGetValue(componentName, out var flagged) && string.Equals(flagged, seen.Version, StringComparison.Ordinal))
        {
            return; // already said
        }

        if (!fresh)
        {
            await ReconcileAsync(componentName, component, source, seen, cancellationToken, fresh: true); // about to act: on what the store says now
            return;
        }

        var known = await store.GetReleaseAsync(componentName, seen.Version, cancellationToken);
        if (source.OnDrift == DriftMode.Record && known is not { State: ReleaseState.Bad or ReleaseState.RolledBack })
        {
            var state = known?.State == ReleaseState.Stable ? ReleaseState.Stable : ReleaseState.Deploying;
            var recordedNow = await store.RecordReleaseAsync(new Release(componentName, seen.Version, state, time.GetUtcNow(), RecordedBy: $"controller (seen serving via {source.Describe()})"), cancellationToken);
            if (state == ReleaseState.Deploying)
            {
                DeployStarted(componentName, seen.Version, recordedNow.RecordedAt);
            }

            await MarkServedAsync(componentName, seen.Version, seen.Since, cancellationToken);
            EngineLog.DriftRecorded(logger, componentName, seen.Version, recorded ?? "none");
            return;
        }

        _drifting[componentName] = seen.Version;
        var bad = known is { State: ReleaseState.Bad or ReleaseState.RolledBack };
        var what = bad
            ? $"{componentName} serves {seen.Version}, which is {ReleaseStateMachine.Describe(known!.State)}{(known.Incident is null ? "" : $" (incident {known.Incident})")}, while {recorded ?? "no release"} is recorded"
            : $"{componentName} serves {seen.Version} (read from {source.Describe()}) while {recorded ?? "no release"} is recorded";
        var incident = await store.GetOpenIncidentAsync(componentName, cancellationToken)
            ?? await store.OpenIncidentAsync(componentName, bad ? Severity.P2 : Severity.P3, $"{componentName}: drift: {seen.Version} serves, {recorded ?? "nothing"} recorded", DriftPolicy, recorded, time.GetUtcNow(), "controller", cancellationToken);
        await Timeline(incident.Id, TimelineKinds.Evidence, $"drift: {what}", "controller", cancellationToken);
        await Timeline(incident.Id, TimelineKinds.Escalation, $"no policy acts on {componentName} and its traffic counts for {seen.Version}, not {recorded ?? "any recorded release"}, until the serving release is recorded (`rewind release record {componentName} {seen.Version}`) or {recorded ?? "the recorded release"} serves again; a human must look", Actor, cancellationToken);
    }

    private async Task EndDriftAsync(string componentName, string version, CancellationToken cancellationToken)
    {
        if (!_drifting.TryRemove(componentName, out _))
        {
            return;
        }

        foreach (var name in config.Component(componentName)?.Policies.Keys ?? Enumerable.Empty<string>())
        {
            _states[(componentName, name)] = Core.Policies.PolicyState.Initial; // what was seen during the drift was another release's
        }

        if (await store.GetOpenIncidentAsync(componentName, cancellationToken) is { Policy: DriftPolicy } incident)
        {
            await ResolveAsync(incident.Id, $"{componentName} serves {version}, the recorded release: the drift is over; incident resolved", cancellationToken);
        }
    }

    /// <summary>True while the serving version is not the recorded one and nobody has recorded it: no policy acts.</summary>
    private bool Drifting(string componentName) => _drifting.ContainsKey(componentName);

    /// <summary>
    /// The release the traffic of a scrape is charged to: the version the scrape itself named, else the newest reading
    /// of the component's version source, else the recorded release.
    /// </summary>
    private string? ChargedVersion(string componentName, string? recorded, string? fromScrape) =>
        fromScrape is not null && ReleaseVersion.IsValid(fromScrape) ? fromScrape
        : config.Component(componentName)?.VersionSource is not null && _serving.TryGetValue(componentName, out var seen) ? seen.Version
        : recorded;
}

/// <summary>The serving version as read, and when it was first read.</summary>
internal sealed record ServingVersion(string Version, DateTimeOffset Since);
