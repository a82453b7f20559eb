using Rewind.Core.Releases;
using Rewind.Core.Storage;
using Rewind.Engine.Backups;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;

namespace Rewind.Engine.Releases;

/// <summary>A release to record: what <c>rewind release record</c> and a drill's deploy send.</summary>
internal sealed record ReleaseRecordRequest(string Version, bool Deploying, string RecordedBy, string? Commit = null, string? Artifact = null, string? Schema = null)
{
    /// <summary>
    /// A drill deploys its designated bad release on purpose: one marked bad by an earlier run is recorded again (as
    /// deploying), where anyone else is refused; a <c>files</c> release keeps the copy it was recorded with (the copy is
    /// what the drill puts in place). The drill marks it bad again when it ends, so it never bakes into known good.
    /// </summary>
    public bool ForDrill { get; init; }
}

/// <summary>The release recorded, with the lines for the audit log (restore points made); or why nothing was recorded.</summary>
internal sealed record ReleaseRecordOutcome(Release? Recorded, string? RefusedTitle, string? Refusal, IReadOnlyList<string> AuditLines)
{
    public static ReleaseRecordOutcome Refused(string title, string why) => new(null, title, why, []);
}

/// <summary>
/// Records a release of a component, with everything a deploy brings: never while a rollback acts on the component, never
/// a release that hurt users before, the copy of a <c>files</c> component's files, the restore points of the backed-up
/// databases ("just before release X"), and the deploy's shield on the decision engine.
/// </summary>
internal sealed class ReleaseRecorder(IStore store, RestorePoints restorePoints, ReleaseFileCopies fileCopies, DecisionEngine engine, ConfigHolder config, TimeProvider time)
{
    /// <summary>What a drill writes as the recorder of its designated bad release: <c>drill NAME (RUN)</c>.</summary>
    public const string DrillRecorderPrefix = "drill ";

    /// <summary>A release deployed by a drill never bakes into known good: it is bad by design.</summary>
    public static bool IsDrillRelease(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return release.RecordedBy?.StartsWith(DrillRecorderPrefix, StringComparison.Ordinal) == true;
    }

    public async Task<ReleaseRecordOutcome> RecordAsync(string name, ReleaseRecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (config.Component(name) is not { } component)
        {
            return ReleaseRecordOutcome.Refused("unknown component", $"component {name} is not in the config");
        }

        if (await store.GetRollbacksAsync(1, name, cancellationToken) is [{ IsActive: true } active])
        {
            return ReleaseRecordOutcome.Refused("rollback in progress", $"rollback {active.Id} is acting on {name} ({active.FromVersion ?? "unknown"} -> {active.ToVersion}, {ActiveText(active)}); a deploy and a rollback never act at once, so {request.Version} was not recorded. Record it after the rollback finishes, or stop the rollback first (`rewind abort {active.Id}`)");
        }

        var existing = await store.GetReleaseAsync(name, request.Version, cancellationToken);
        if (request.ForDrill && existing?.State == ReleaseState.Stable)
        {
            return ReleaseRecordOutcome.Refused("release refused", $"release {request.Version} of {name} is stable, a known-good release and a rollback target; a drill deploys a designated bad release, never a known-good one");
        }

        if (existing is not null && ReleaseGate.Refuses(existing.State) && !request.ForDrill)
        {
            return ReleaseRecordOutcome.Refused("release refused", $"release {request.Version} of {name} is {ReleaseStateMachine.Describe(existing.State)}{(existing.Incident is null ? "" : $" (incident {existing.Incident})")}; it is not deployed again");
        }

        // A drill deploys the designated release as it was recorded: its copy is put in place, never taken again.
        if (component.Provider.Files is not null && !(request.ForDrill && existing is not null) && await fileCopies.KeepAsync(name, component, request.Version, existing?.State == ReleaseState.Stable, cancellationToken) is { } failure)
        {
            return ReleaseRecordOutcome.Refused("release files not kept", failure + "; the release was not recorded");
        }

        var audit = new List<string>();
        if ((existing is null || request.ForDrill) && restorePoints.Any)
        {
            // the databases as they were when this release was first recorded (for a drill, deployed again): "just before release X" for a restore
            audit.AddRange(await restorePoints.CreateAsync(Core.Backups.RestorePointNames.ForRelease(name, request.Version), cancellationToken));
        }

        var state = existing?.State == ReleaseState.Stable ? ReleaseState.Stable : request.Deploying ? ReleaseState.Deploying : ReleaseState.Baking;
        // A record that starts a deploy starts it now; the store keeps the start of a deploy already under way (deploying, then deployed).
        var now = time.GetUtcNow();
        var release = await store.RecordReleaseAsync(new Release(name, request.Version, state, now, request.Commit, request.Artifact, request.RecordedBy) { Schema = request.Schema, DeployStartedAt = now }, cancellationToken);
        if (state == ReleaseState.Deploying)
        {
            engine.DeployStarted(name, release.Version, release.RecordedAt);
        }

        return new ReleaseRecordOutcome(release, null, null, audit);
    }

    /// <summary>Where an active rollback stands, in words: waiting for approval, about to start, running.</summary>
    public static string ActiveText(Core.Runbooks.Rollback rollback) => rollback.Status switch
    {
        Core.Runbooks.RollbackStatus.Awaiting => "waiting for approval",
        Core.Runbooks.RollbackStatus.Pending => "about to start",
        _ => "running",
    };
}
