using Rewind.Core.Storage;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task SaveReplicaAsync_SavedTwice_IsReadBackOnceAsLastSaid()
    {
        var name = NewComponent("replica");
        var first = new ReplicaRecord(name, "host-a", 4242, "1.0.0", "http://127.0.0.1:7878", T0, T0.AddSeconds(2));
        await Store.SaveReplicaAsync(first);
        await Store.SaveReplicaAsync(first with { Pid = 4343, SeenAt = T0.AddSeconds(4) });

        (await Store.GetReplicasAsync()).Where(r => r.Name == name).ShouldBe([first with { Pid = 4343, SeenAt = T0.AddSeconds(4) }]);
    }

    [Fact]
    public async Task RemoveReplicaAsync_OneOfTwo_LeavesTheOther()
    {
        var gone = NewComponent("replica");
        var kept = NewComponent("replica");
        await Store.SaveReplicaAsync(new ReplicaRecord(gone, "host-a", 1, "1.0.0", null, T0, T0));
        await Store.SaveReplicaAsync(new ReplicaRecord(kept, "host-b", 2, "1.0.0", null, T0, T0));

        await Store.RemoveReplicaAsync(gone);

        var names = (await Store.GetReplicasAsync()).Select(r => r.Name).ToList();
        names.ShouldContain(kept);
        names.ShouldNotContain(gone);
    }
}
