using Rewind.Core.Approvals;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task GateApprovals_AreKeptApartFromTheMatrixAndFromOtherGates_OncePerPersonPerGate()
    {
        var component = NewComponent();
        var created = (await Store.CreateRollbackAsync(component, null, "v2", "v1", "errors", "alice", DefaultPlan(component), T0, awaitingApproval: true)).Created.ShouldNotBeNull();
        var matrix = new Approval(created.Id, "carol", ["approver"], true, T0.AddMinutes(1), "go");
        var atGate = new Approval(created.Id, "carol", ["dba"], true, T0.AddMinutes(2), "backup checked");
        var denied = new Approval(created.Id, "dora", ["dba"], false, T0.AddMinutes(3), "no backup yet");

        (await Store.AddApprovalAsync(matrix)).ShouldBeTrue();
        (await Store.AddGateApprovalAsync(1, atGate)).ShouldBeTrue(); // the same person again, at a gate
        (await Store.AddGateApprovalAsync(3, denied)).ShouldBeTrue();
        (await Store.AddGateApprovalAsync(1, atGate with { Approved = false, Note = "twice" })).ShouldBeFalse();

        (await Store.GetApprovalsAsync(created.Id)).ShouldBe([matrix], new ApprovalComparer());
        (await Store.GetGateApprovalsAsync(created.Id, 1)).ShouldBe([atGate], new ApprovalComparer());
        (await Store.GetGateApprovalsAsync(created.Id, 3)).ShouldBe([denied], new ApprovalComparer());
        (await Store.GetGateApprovalsAsync(created.Id, 2)).ShouldBeEmpty();
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Store.AddGateApprovalAsync(-1, atGate));
    }

    [Fact]
    public async Task ApprovalStep_RoundTripsThroughTheStoredPlan()
    {
        var component = NewComponent();
        var gate = new ApprovalStep("Restore the orders database to v1?", ["dba"], ["tech-lead"], TwoPerson: true, SecondFactor: true, TimeSpan.FromMinutes(10), GateTimeout.EscalateAndWait, "data safety");
        var created = (await CreateRollbackAsync(component, steps: [gate, .. DefaultPlan(component)])).Created.ShouldNotBeNull();

        var stored = (await Store.GetRollbackAsync(created.Id))!.Steps[0].Plan;

        stored.ShouldBeOfType<ApprovalStep>().ShouldBe(gate with { AnyOf = ((ApprovalStep)stored).AnyOf, AllOf = ((ApprovalStep)stored).AllOf });
        ((ApprovalStep)stored).AnyOf.ShouldBe(["dba"]);
        ((ApprovalStep)stored).AllOf.ShouldBe(["tech-lead"]);
        stored.Describe().ShouldBe(gate.Describe());
    }
}
