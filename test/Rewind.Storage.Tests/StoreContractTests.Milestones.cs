using System.Data.Common;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;

namespace Rewind.Storage.Tests;

/// <summary>
/// A state change and the timeline entries that record it commit together or not at all. A failure in the middle is
/// real: an entry for an incident that does not exist breaks the timeline's foreign key inside the transaction.
/// </summary>
public abstract partial class StoreContractTests
{
    private const string MissingIncident = "INC-1999-01-01-0001";

    [Fact]
    public async Task FinishRollbackAsync_Succeeded_WritesStatusLeftReleaseMilestoneAndResolutionTogether_Once()
    {
        var (incident, rollback) = await RunningRollbackAsync();
        var finish = new RollbackFinish(rollback.Id, RollbackStatus.Succeeded, T0.AddMinutes(1), null)
        {
            LeftRelease = new ReleaseMove(ReleaseState.RolledBack),
            Entries = [Milestone(incident, "succeeded", TimelineMilestones.RollbackFinished)],
            Resolution = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Resolved, "healthy; incident resolved", "executor"),
        };

        (await Store.FinishRollbackAsync(finish)).ShouldBeTrue();
        (await Store.FinishRollbackAsync(finish with { At = T0.AddMinutes(2) })).ShouldBeFalse(); // a retry writes nothing twice

        (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Succeeded);
        (await Store.GetReleaseAsync(rollback.Component, "1.1.0")).ShouldNotBeNull().State.ShouldBe(ReleaseState.RolledBack);
        var resolved = (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull();
        (resolved.Status, resolved.ResolvedAt).ShouldBe((IncidentStatus.Resolved, T0.AddMinutes(1)));
        (await Store.GetTimelineAsync(incident.Id)).Select(e => (e.Kind, e.Milestone)).ShouldBe(
            [(TimelineKinds.Opened, null), (TimelineKinds.Rollback, TimelineMilestones.RollbackStarted), (TimelineKinds.Rollback, TimelineMilestones.RollbackFinished), (TimelineKinds.Resolved, null)]);
    }

    [Fact]
    public async Task FinishRollbackAsync_AnEntryFails_LeavesNeitherTheStateNorAnyEntry_AndARetryWritesThemOnce()
    {
        var (incident, rollback) = await RunningRollbackAsync();
        var finish = new RollbackFinish(rollback.Id, RollbackStatus.Succeeded, T0.AddMinutes(1), null)
        {
            LeftRelease = new ReleaseMove(ReleaseState.RolledBack),
            Entries = [Milestone(incident, "succeeded", TimelineMilestones.RollbackFinished)],
            Resolution = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Resolved, "resolved", "executor"),
        };
        var breaking = Milestone(incident, "an entry the store refuses", null) with { IncidentId = MissingIncident };

        await Should.ThrowAsync<DbException>(() => Store.FinishRollbackAsync(finish with { Entries = [.. finish.Entries, breaking] }));

        (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Running);
        (await Store.GetReleaseAsync(rollback.Component, "1.1.0")).ShouldNotBeNull().State.ShouldBe(ReleaseState.Baking);
        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().Status.ShouldBe(IncidentStatus.Investigating);
        (await Store.GetTimelineAsync(incident.Id)).ShouldNotContain(e => e.Milestone == TimelineMilestones.RollbackFinished || e.Kind == TimelineKinds.Resolved);

        (await Store.FinishRollbackAsync(finish)).ShouldBeTrue();
        (await Store.GetTimelineAsync(incident.Id)).Count(e => e.Milestone == TimelineMilestones.RollbackFinished).ShouldBe(1);
        (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Succeeded);
    }

    [Fact]
    public async Task FinishRollbackAsync_Failed_LeftReleaseRolledBackAlready_KeepsItAndSkipsItsEntry()
    {
        var (incident, rollback) = await RunningRollbackAsync();
        (await Store.SetReleaseStateAsync(rollback.Component, "1.1.0", ReleaseState.RolledBack, T0)).ShouldBeTrue();
        var finish = new RollbackFinish(rollback.Id, RollbackStatus.Failed, T0.AddMinutes(1), "step 3 failed")
        {
            LeftRelease = new ReleaseMove(ReleaseState.Bad, Milestone(incident, "1.1.0 is marked bad", null)),
            Entries = [Milestone(incident, "failed; paging a human", TimelineMilestones.RollbackFailed)],
        };

        (await Store.FinishRollbackAsync(finish)).ShouldBeTrue();

        (await Store.GetReleaseAsync(rollback.Component, "1.1.0")).ShouldNotBeNull().State.ShouldBe(ReleaseState.RolledBack);
        var timeline = await Store.GetTimelineAsync(incident.Id);
        timeline.ShouldNotContain(e => e.Message == "1.1.0 is marked bad");
        timeline.ShouldContain(e => e.Milestone == TimelineMilestones.RollbackFailed);
    }

    [Fact]
    public async Task MarkRollbackRunningAsync_EntryFails_StaysPending_ThenStartsOnceWithItsMilestone()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", null, "1.1.0", T0, "alice");
        var rollback = (await Store.CreateRollbackAsync(incident.Component, incident.Id, "1.1.0", "1.0.0", "down", "alice", DefaultPlan(incident.Component), T0)).Created.ShouldNotBeNull();

        await Should.ThrowAsync<DbException>(() => Store.MarkRollbackRunningAsync(rollback.Id, T0.AddSeconds(1), Milestone(incident, "started", null) with { IncidentId = MissingIncident }));
        var pending = (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull();
        (pending.Status, pending.StartedAt).ShouldBe((RollbackStatus.Pending, null));

        (await Store.MarkRollbackRunningAsync(rollback.Id, T0.AddSeconds(2), Milestone(incident, "started", TimelineMilestones.RollbackStarted))).ShouldBeTrue();
        (await Store.MarkRollbackRunningAsync(rollback.Id, T0.AddSeconds(3), Milestone(incident, "started", TimelineMilestones.RollbackStarted))).ShouldBeFalse();
        (await Store.GetTimelineAsync(incident.Id)).Count(e => e.Milestone == TimelineMilestones.RollbackStarted).ShouldBe(1);
    }

    [Fact]
    public async Task MarkStepFinishedAsync_EntryFails_StepStaysRunning_ThenFinishesOnceWithItsEntry()
    {
        var (incident, rollback) = await RunningRollbackAsync();
        await Store.MarkStepStartedAsync(rollback.Id, 1, T0.AddSeconds(2));

        await Should.ThrowAsync<DbException>(() => Store.MarkStepFinishedAsync(rollback.Id, 1, StepStatus.Succeeded, T0.AddSeconds(3), "restarted", Milestone(incident, "step 2", null) with { IncidentId = MissingIncident }));
        (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Steps[1].Status.ShouldBe(StepStatus.Running);

        (await Store.MarkStepFinishedAsync(rollback.Id, 1, StepStatus.Succeeded, T0.AddSeconds(3), "restarted", Milestone(incident, "step 2/3 restart succeeded", null))).ShouldBeTrue();
        (await Store.MarkStepFinishedAsync(rollback.Id, 1, StepStatus.Succeeded, T0.AddSeconds(4), "restarted", Milestone(incident, "step 2/3 restart succeeded", null))).ShouldBeFalse();
        var step = (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Steps[1];
        (step.Status, step.FinishedAt, step.Output).ShouldBe((StepStatus.Succeeded, T0.AddSeconds(3), "restarted"));
        (await Store.GetTimelineAsync(incident.Id)).Count(e => e.Message == "step 2/3 restart succeeded").ShouldBe(1);
    }

    [Fact]
    public async Task SetIncidentStatusAsync_WithEntry_MovesOnceWithIt_AndNeitherWhenTheEntryFails()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P2, "slow", null, null, T0, "alice");
        var resolved = new TimelineEvent(incident.Id, T0.AddMinutes(3), TimelineKinds.Resolved, "recovered; incident resolved", "controller");

        await Should.ThrowAsync<DbException>(() => Store.SetIncidentStatusAsync(incident.Id, IncidentStatus.Resolved, T0.AddMinutes(3), resolved with { IncidentId = MissingIncident }));
        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().Status.ShouldBe(IncidentStatus.Investigating);

        (await Store.SetIncidentStatusAsync(incident.Id, IncidentStatus.Resolved, T0.AddMinutes(3), resolved)).ShouldBeTrue();
        (await Store.SetIncidentStatusAsync(incident.Id, IncidentStatus.Resolved, T0.AddMinutes(4), resolved)).ShouldBeFalse();
        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().ResolvedAt.ShouldBe(T0.AddMinutes(3));
        (await Store.GetTimelineAsync(incident.Id)).Count(e => e.Kind == TimelineKinds.Resolved).ShouldBe(1);
    }

    [Fact]
    public async Task CreateRollbackAsync_WithDecision_WritesRollbackMitigatingAndEntryTogether_OrNoneWhenTheEntryFails()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", null, "1.1.0", T0, "alice");
        Task<RollbackCreation> Create(string entryIncident) => Store.CreateRollbackAsync(
            incident.Component, incident.Id, "1.1.0", "1.0.0", "down", "alice", DefaultPlan(incident.Component), T0, awaitingApproval: false,
            decision: created => new TimelineEvent(entryIncident, T0, TimelineKinds.Decision, $"rollback {created.Id} requested by alice", "alice"));

        await Should.ThrowAsync<DbException>(() => Create(MissingIncident));
        (await Store.GetRollbacksAsync(10, incident.Component)).ShouldBeEmpty(); // nor its lease
        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().Status.ShouldBe(IncidentStatus.Investigating);

        var rollback = (await Create(incident.Id)).Created.ShouldNotBeNull();
        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().Status.ShouldBe(IncidentStatus.Mitigating);
        (await Store.GetTimelineAsync(incident.Id)).ShouldContain(e => e.Kind == TimelineKinds.Decision && e.Message == $"rollback {rollback.Id} requested by alice");
    }

    [Fact]
    public async Task DecideAwaitingRollbackAsync_Released_MovesTheIncidentToMitigatingWithTheEntry_Once()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "down", null, "1.1.0", T0, "alice");
        var rollback = (await Store.CreateRollbackAsync(incident.Component, incident.Id, "1.1.0", "1.0.0", "down", "alice", DefaultPlan(incident.Component), T0, awaitingApproval: true)).Created.ShouldNotBeNull();
        var approved = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Decision, $"{rollback.Id} has every approval it needs; it runs now", "bob");

        (await Store.DecideAwaitingRollbackAsync(rollback.Id, RollbackStatus.Pending, T0.AddMinutes(1), null, approved)).ShouldBeTrue();
        (await Store.DecideAwaitingRollbackAsync(rollback.Id, RollbackStatus.Pending, T0.AddMinutes(2), null, approved)).ShouldBeFalse();

        (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Status.ShouldBe(RollbackStatus.Pending);
        (await Store.GetIncidentAsync(incident.Id)).ShouldNotBeNull().Status.ShouldBe(IncidentStatus.Mitigating);
        (await Store.GetTimelineAsync(incident.Id)).Count(e => e == approved).ShouldBe(1);
    }

    [Fact]
    public async Task SetReleaseStateAsync_WithEntry_EntryFails_LeavesTheStateAsItWas()
    {
        var incident = await Store.OpenIncidentAsync(NewComponent(), Severity.P1, "errors", null, "1.1.0", T0, "alice");
        await Store.RecordReleaseAsync(new Release(incident.Component, "1.1.0", ReleaseState.Baking, T0));
        var marked = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Decision, "release 1.1.0 marked bad by alice", "alice");

        await Should.ThrowAsync<DbException>(() => Store.SetReleaseStateAsync(incident.Component, "1.1.0", ReleaseState.Bad, T0.AddMinutes(1), incident.Id, marked with { IncidentId = MissingIncident }));
        (await Store.GetReleaseAsync(incident.Component, "1.1.0")).ShouldNotBeNull().State.ShouldBe(ReleaseState.Baking);

        (await Store.SetReleaseStateAsync(incident.Component, "1.1.0", ReleaseState.Bad, T0.AddMinutes(1), incident.Id, marked)).ShouldBeTrue();
        (await Store.GetReleaseAsync(incident.Component, "1.1.0")).ShouldNotBeNull().State.ShouldBe(ReleaseState.Bad);
        (await Store.GetTimelineAsync(incident.Id)).Count(e => e == marked).ShouldBe(1);
    }

    /// <summary>An incident on 1.1.0 (baking) and its rollback to 1.0.0, running, with its started milestone.</summary>
    private async Task<(Incident Incident, Rollback Rollback)> RunningRollbackAsync()
    {
        var component = NewComponent();
        await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Stable, T0.AddDays(-1)));
        await Store.RecordReleaseAsync(new Release(component, "1.1.0", ReleaseState.Baking, T0));
        var incident = await Store.OpenIncidentAsync(component, Severity.P1, "down", null, "1.1.0", T0, "policy:down");
        var rollback = (await Store.CreateRollbackAsync(component, incident.Id, "1.1.0", "1.0.0", "down", "policy:down", DefaultPlan(component), T0)).Created.ShouldNotBeNull();
        (await Store.MarkRollbackRunningAsync(rollback.Id, T0.AddSeconds(1), Milestone(incident, "started", TimelineMilestones.RollbackStarted))).ShouldBeTrue();
        return (incident, rollback);
    }

    private static TimelineEvent Milestone(Incident incident, string message, string? milestone) =>
        new(incident.Id, T0.AddSeconds(30), milestone is null ? TimelineKinds.Step : TimelineKinds.Rollback, message, "executor", milestone);
}
