using System.Data.Common;
using Rewind.Core.Approvals;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;

namespace Rewind.Storage.Tests;

/// <summary>An approval, a decision at a gate and a maintenance window commit with the timeline entry that says so, or not at all.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task AddApprovalAsync_WithItsEntry_WritesBothOnce_AndAnEntryThatFailsLeavesNoApproval()
    {
        var component = NewComponent();
        var incident = await Store.OpenIncidentAsync(component, Severity.P1, "down", "down", "v2", T0, "policy:down");
        var created = (await Store.CreateRollbackAsync(component, incident.Id, "v2", "v1", "errors", "alice", DefaultPlan(component), T0, awaitingApproval: true, null)).Created.ShouldNotBeNull();
        var approval = new Approval(created.Id, "carol", ["approver"], true, T0.AddMinutes(1), "ok");
        var entry = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Decision, $"{created.Id} approved by carol", "carol");

        await Should.ThrowAsync<DbException>(() => Store.AddApprovalAsync(approval, entry with { IncidentId = "INC-1999-01-01-0001" }));
        (await Store.GetApprovalsAsync(created.Id)).ShouldBeEmpty();

        (await Store.AddApprovalAsync(approval, entry)).ShouldBeTrue();
        (await Store.AddApprovalAsync(approval with { Note = "again" }, entry)).ShouldBeFalse(); // decided already: no second entry
        (await Store.GetApprovalsAsync(created.Id)).ShouldHaveSingleItem();
        (await Store.GetTimelineAsync(incident.Id)).Count(e => e.Message == entry.Message).ShouldBe(1);
    }

    [Fact]
    public async Task AddGateApprovalAsync_WithItsEntry_WritesBothOrNeither()
    {
        var component = NewComponent();
        var incident = await Store.OpenIncidentAsync(component, Severity.P1, "down", "down", "v2", T0, "policy:down");
        var rollback = (await Store.CreateRollbackAsync(component, incident.Id, "v2", "v1", "errors", "alice", DefaultPlan(component), T0)).Created.ShouldNotBeNull();
        var decision = new Approval(rollback.Id, "carol", ["approver"], false, T0.AddMinutes(1), "");
        var entry = new TimelineEvent(incident.Id, T0.AddMinutes(1), TimelineKinds.Decision, $"{rollback.Id} step 2/3 (approval) denied by carol", "carol");

        await Should.ThrowAsync<DbException>(() => Store.AddGateApprovalAsync(1, decision, entry with { IncidentId = "INC-1999-01-01-0001" }));
        (await Store.GetGateApprovalsAsync(rollback.Id, 1)).ShouldBeEmpty();

        (await Store.AddGateApprovalAsync(1, decision, entry)).ShouldBeTrue();
        (await Store.GetGateApprovalsAsync(rollback.Id, 1)).ShouldHaveSingleItem();
        (await Store.GetTimelineAsync(incident.Id)).ShouldContain(e => e.Message == entry.Message);
    }

    [Fact]
    public async Task DeclareMaintenanceAsync_WithItsEntry_WritesBothOrNeither()
    {
        var component = NewComponent();
        var incident = await Store.OpenIncidentAsync(component, Severity.P2, "slow", "slow", "v2", T0, "policy:slow");
        var window = new MaintenanceWindow(component, T0, T0.AddHours(1), "planned failover", "alice");
        var entry = new TimelineEvent(incident.Id, T0, TimelineKinds.Suppressed, "maintenance declared by alice", "alice");

        await Should.ThrowAsync<DbException>(() => Store.DeclareMaintenanceAsync(window, entry with { IncidentId = "INC-1999-01-01-0001" }));
        (await Store.GetActiveMaintenanceAsync(component, T0.AddMinutes(1))).ShouldBeNull();

        await Store.DeclareMaintenanceAsync(window, entry);
        (await Store.GetActiveMaintenanceAsync(component, T0.AddMinutes(1))).ShouldNotBeNull().Reason.ShouldBe("planned failover");
        (await Store.GetTimelineAsync(incident.Id)).ShouldContain(e => e.Kind == TimelineKinds.Suppressed);
    }
}
