using Rewind.Core.Approvals;
using Rewind.Core.Runbooks;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task AwaitingRollback_HoldsTheLease_ApprovalsAreOncePerPerson_DecisionIsOnce()
    {
        var component = NewComponent();
        var created = (await Store.CreateRollbackAsync(component, null, "v2", "v1", "errors", "alice", DefaultPlan(component), T0, awaitingApproval: true, null)).Created.ShouldNotBeNull();
        var blocked = await Store.CreateRollbackAsync(component, null, "v2", "v1", "again", "bob", DefaultPlan(component), T0);

        var first = await Store.AddApprovalAsync(new Approval(created.Id, "carol", ["approver"], true, T0.AddMinutes(1), "ok"));
        var twice = await Store.AddApprovalAsync(new Approval(created.Id, "carol", ["approver"], false, T0.AddMinutes(2), "changed my mind"));
        var released = await Store.DecideAwaitingRollbackAsync(created.Id, RollbackStatus.Pending, T0.AddMinutes(3), null);
        var releasedAgain = await Store.DecideAwaitingRollbackAsync(created.Id, RollbackStatus.Cancelled, T0.AddMinutes(4), "late");

        created.Status.ShouldBe(RollbackStatus.Awaiting);
        blocked.ActiveRollbackId.ShouldBe(created.Id);
        first.ShouldBeTrue();
        twice.ShouldBeFalse();
        (await Store.GetApprovalsAsync(created.Id)).ShouldBe([new Approval(created.Id, "carol", ["approver"], true, T0.AddMinutes(1), "ok")], new ApprovalComparer());
        released.ShouldBeTrue();
        releasedAgain.ShouldBeFalse();
        (await Store.GetRollbackAsync(created.Id))!.Status.ShouldBe(RollbackStatus.Pending);
    }

    [Fact]
    public async Task DeniedRollback_IsCancelledWithTheReasonAndFreesTheLease()
    {
        var component = NewComponent();
        var created = (await Store.CreateRollbackAsync(component, null, "v2", "v1", "errors", "alice", DefaultPlan(component), T0, awaitingApproval: true, null)).Created.ShouldNotBeNull();

        (await Store.DecideAwaitingRollbackAsync(created.Id, RollbackStatus.Cancelled, T0.AddMinutes(1), "denied by carol")).ShouldBeTrue();
        var next = await Store.CreateRollbackAsync(component, null, "v2", "v1", "again", "bob", DefaultPlan(component), T0.AddMinutes(2));

        var cancelled = (await Store.GetRollbackAsync(created.Id))!;
        cancelled.Status.ShouldBe(RollbackStatus.Cancelled);
        cancelled.Error.ShouldBe("denied by carol");
        cancelled.FinishedAt.ShouldBe(T0.AddMinutes(1));
        next.Created.ShouldNotBeNull();
    }

    private sealed class ApprovalComparer : IEqualityComparer<Approval>
    {
        public bool Equals(Approval? x, Approval? y) => x is not null && y is not null && x.RollbackId == y.RollbackId && x.Approver == y.Approver && x.Roles.SequenceEqual(y.Roles) && x.Approved == y.Approved && x.At == y.At && x.Note == y.Note;

        public int GetHashCode(Approval obj) => obj.Approver.GetHashCode(StringComparison.Ordinal);
    }
}
