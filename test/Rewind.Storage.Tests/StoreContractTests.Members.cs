using Rewind.Core.Runbooks;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    private const int BatchStep = 1;

    [Fact]
    public async Task GetMembersAsync_BeforeTheStepRan_IsEmpty()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();

        (await Store.GetMembersAsync(rollback.Id, BatchStep)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AddMembersAsync_NewList_StoresEveryMemberPendingInTheGivenOrder()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();

        await Store.AddMembersAsync(rollback.Id, BatchStep, ["fn-c", "fn-a", "fn-b"]);

        (await Store.GetMembersAsync(rollback.Id, BatchStep)).ShouldBe(
        [
            new MemberResult("fn-c", MemberStatus.Pending, 0, null, null, null),
            new MemberResult("fn-a", MemberStatus.Pending, 0, null, null, null),
            new MemberResult("fn-b", MemberStatus.Pending, 0, null, null, null),
        ]);
    }

    [Fact]
    public async Task AddMembersAsync_AgainWithOverlappingMembers_KeepsStoredRowsAndAppendsOnlyNewOnes()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        await Store.AddMembersAsync(rollback.Id, BatchStep, ["fn-c", "fn-a", "fn-b"]);
        await Store.MarkMemberStartedAsync(rollback.Id, BatchStep, "fn-a", T0.AddSeconds(1));
        await Store.MarkMemberFinishedAsync(rollback.Id, BatchStep, "fn-a", MemberStatus.Succeeded, T0.AddSeconds(2), "Rolled back fn-a to v1");
        await Store.MarkMemberStartedAsync(rollback.Id, BatchStep, "fn-b", T0.AddSeconds(3));

        await Store.AddMembersAsync(rollback.Id, BatchStep, ["fn-b", "fn-d", "fn-a"]);

        (await Store.GetMembersAsync(rollback.Id, BatchStep)).ShouldBe(
        [
            new MemberResult("fn-c", MemberStatus.Pending, 0, null, null, null),
            new MemberResult("fn-a", MemberStatus.Succeeded, 1, T0.AddSeconds(1), T0.AddSeconds(2), "Rolled back fn-a to v1"),
            new MemberResult("fn-b", MemberStatus.Running, 1, T0.AddSeconds(3), null, null),
            new MemberResult("fn-d", MemberStatus.Pending, 0, null, null, null),
        ]);
    }

    [Fact]
    public async Task MarkMemberStartedAsync_EachCall_CountsAnAttemptAndMarksRunning()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        await Store.AddMembersAsync(rollback.Id, BatchStep, ["fn-a", "fn-b"]);

        await Store.MarkMemberStartedAsync(rollback.Id, BatchStep, "fn-a", T0.AddSeconds(1));
        var first = (await Store.GetMembersAsync(rollback.Id, BatchStep))[0];
        await Store.MarkMemberFinishedAsync(rollback.Id, BatchStep, "fn-a", MemberStatus.Failed, T0.AddSeconds(2), "exit 1");
        await Store.MarkMemberStartedAsync(rollback.Id, BatchStep, "fn-a", T0.AddSeconds(3));

        first.ShouldBe(new MemberResult("fn-a", MemberStatus.Running, 1, T0.AddSeconds(1), null, null));
        var members = await Store.GetMembersAsync(rollback.Id, BatchStep);
        members[0].ShouldBe(new MemberResult("fn-a", MemberStatus.Running, 2, T0.AddSeconds(3), null, "exit 1"));
        members[1].ShouldBe(new MemberResult("fn-b", MemberStatus.Pending, 0, null, null, null));
    }

    [Fact]
    public async Task MarkMemberFinishedAsync_AfterTheCall_RecordsStatusOutputAndFinishTime()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        await Store.AddMembersAsync(rollback.Id, BatchStep, ["fn-a", "fn-b"]);
        await Store.MarkMemberStartedAsync(rollback.Id, BatchStep, "fn-a", T0.AddSeconds(1));
        await Store.MarkMemberStartedAsync(rollback.Id, BatchStep, "fn-b", T0.AddSeconds(1));

        await Store.MarkMemberFinishedAsync(rollback.Id, BatchStep, "fn-a", MemberStatus.Succeeded, T0.AddSeconds(2), "exit 0: Rolled back fn-a to v1");
        await Store.MarkMemberFinishedAsync(rollback.Id, BatchStep, "fn-b", MemberStatus.Failed, T0.AddSeconds(3), null);

        (await Store.GetMembersAsync(rollback.Id, BatchStep)).ShouldBe(
        [
            new MemberResult("fn-a", MemberStatus.Succeeded, 1, T0.AddSeconds(1), T0.AddSeconds(2), "exit 0: Rolled back fn-a to v1"),
            new MemberResult("fn-b", MemberStatus.Failed, 1, T0.AddSeconds(1), T0.AddSeconds(3), null),
        ]);
    }

    [Fact]
    public async Task MarkMemberFinishedAsync_OutputOver4KiB_KeepsTheLast4KiB()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        await Store.AddMembersAsync(rollback.Id, BatchStep, ["fn-a"]);
        var output = new string('x', 10_000) + "ERROR: NOT_FOUND: function fn-a";

        await Store.MarkMemberFinishedAsync(rollback.Id, BatchStep, "fn-a", MemberStatus.Failed, T0.AddSeconds(1), output);

        (await Store.GetMembersAsync(rollback.Id, BatchStep)).ShouldHaveSingleItem().Output.ShouldBe(output[^(4 * 1024)..]);
    }

    [Fact]
    public async Task MarkMemberFinishedAsync_OutputWithNulOrCutSurrogatePair_IsStored()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        await Store.AddMembersAsync(rollback.Id, BatchStep, ["fn-a", "fn-b"]);
        var cutInsidePair = "😀" + new string('x', (4 * 1024) - 1); // the last 4 KiB would start with a lone low surrogate

        await Store.MarkMemberFinishedAsync(rollback.Id, BatchStep, "fn-a", MemberStatus.Failed, T0.AddSeconds(1), "binary\0garbage");
        await Store.MarkMemberFinishedAsync(rollback.Id, BatchStep, "fn-b", MemberStatus.Failed, T0.AddSeconds(1), cutInsidePair);

        var members = await Store.GetMembersAsync(rollback.Id, BatchStep);
        members[0].Output.ShouldBe("binary\uFFFDgarbage");
        members[1].Output.ShouldBe(new string('x', (4 * 1024) - 1));
    }

    [Fact]
    public async Task Members_OfOtherStepsAndRollbacks_AreKeptApart()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        var other = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        await Store.AddMembersAsync(rollback.Id, BatchStep, ["fn-a", "fn-b"]);
        await Store.AddMembersAsync(rollback.Id, BatchStep + 1, ["fn-a"]);
        await Store.AddMembersAsync(other.Id, BatchStep, ["fn-a"]);

        await Store.MarkMemberStartedAsync(rollback.Id, BatchStep, "fn-a", T0.AddSeconds(1));
        await Store.MarkMemberFinishedAsync(rollback.Id, BatchStep, "fn-a", MemberStatus.Succeeded, T0.AddSeconds(2), "done");

        (await Store.GetMembersAsync(rollback.Id, BatchStep)).Select(m => (m.Member, m.Status)).ShouldBe([("fn-a", MemberStatus.Succeeded), ("fn-b", MemberStatus.Pending)]);
        (await Store.GetMembersAsync(rollback.Id, BatchStep + 1)).ShouldBe([new MemberResult("fn-a", MemberStatus.Pending, 0, null, null, null)]);
        (await Store.GetMembersAsync(other.Id, BatchStep)).ShouldBe([new MemberResult("fn-a", MemberStatus.Pending, 0, null, null, null)]);
        (await Store.GetMembersAsync(other.Id, BatchStep + 1)).ShouldBeEmpty();
    }
}
