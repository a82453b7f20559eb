using Rewind.Core.Runbooks;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    private const int ProcessStep = 1;

    [Fact]
    public async Task GetStepProcessesAsync_NothingRecorded_IsEmpty()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();

        (await Store.GetStepProcessesAsync(rollback.Id, ProcessStep)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AddStepProcessAsync_TwoGroups_AreReadBackOldestFirstForThatStepOnly()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        var later = new StepProcess(4242, 987654321012, "boot-a", "host-1", "/srv/restart.sh", T0.AddSeconds(2));
        var earlier = new StepProcess(77, 12, "boot-a", "host-1", "/usr/bin/fake-cli", T0.AddSeconds(1));

        await Store.AddStepProcessAsync(rollback.Id, ProcessStep, later);
        await Store.AddStepProcessAsync(rollback.Id, ProcessStep, earlier);
        await Store.AddStepProcessAsync(rollback.Id, ProcessStep + 1, earlier with { GroupId = 78 });

        (await Store.GetStepProcessesAsync(rollback.Id, ProcessStep)).ShouldBe([earlier, later]);
    }

    [Fact]
    public async Task AddStepProcessAsync_SameGroupTwice_IsRecordedOnce()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        var process = new StepProcess(4242, 1000, "boot-a", "host-1", "/srv/restart.sh", T0);

        await Store.AddStepProcessAsync(rollback.Id, ProcessStep, process);
        await Store.AddStepProcessAsync(rollback.Id, ProcessStep, process);

        (await Store.GetStepProcessesAsync(rollback.Id, ProcessStep)).ShouldBe([process]);
    }

    [Fact]
    public async Task RemoveStepProcessAsync_OneOfTwo_ClearsOnlyThatGroupOfThatBoot()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        var gone = new StepProcess(4242, 1000, "boot-a", "host-1", "/srv/restart.sh", T0);
        var otherBoot = gone with { BootId = "boot-b", StartedAt = T0.AddSeconds(1) };
        await Store.AddStepProcessAsync(rollback.Id, ProcessStep, gone);
        await Store.AddStepProcessAsync(rollback.Id, ProcessStep, otherBoot);

        await Store.RemoveStepProcessAsync(rollback.Id, ProcessStep, gone);

        (await Store.GetStepProcessesAsync(rollback.Id, ProcessStep)).ShouldBe([otherBoot]);
    }
}
