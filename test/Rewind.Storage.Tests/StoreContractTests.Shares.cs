using Rewind.Core.Signals;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task RenewShareAsync_Twice_RaisesTheCounterAndKeepsWhatWasLastSaid()
    {
        var replica = NewComponent("replica");
        await Store.RenewShareAsync(replica, [replica], 0, T0);
        await Store.RenewShareAsync(replica, ["other", replica], 42, T0.AddSeconds(1));

        var share = (await Store.GetSharesAsync()).Single(s => s.Replica == replica);

        share.Renewals.ShouldBe(2);
        share.Members.ShouldBe(["other", replica]);
        share.Components.ShouldBe(42);
        share.RenewedAt.ShouldBe(T0.AddSeconds(1));
    }

    [Fact]
    public async Task RemoveShareAsync_RenewedSinceTheCounterRead_IsKept_ElseRemoved()
    {
        var replica = NewComponent("replica");
        await Store.RenewShareAsync(replica, [replica], 1, T0);
        await Store.RenewShareAsync(replica, [replica], 1, T0);

        await Store.RemoveShareAsync(replica, renewals: 1); // seen at 1, renewed since: alive
        (await Store.GetSharesAsync()).ShouldContain(s => s.Replica == replica);
        await Store.RemoveShareAsync(replica, renewals: 2);
        (await Store.GetSharesAsync()).ShouldNotContain(s => s.Replica == replica);
        await Store.RenewShareAsync(replica, [replica], 1, T0);
        await Store.RemoveShareAsync(replica, renewals: null);
        (await Store.GetSharesAsync()).ShouldNotContain(s => s.Replica == replica);
    }

    [Fact]
    public async Task GetSamplesAfterAsync_AfterTheLastPlace_ReadsTheNewOnesInOrderWithTheirReplica_AndTheMissingAskedFor()
    {
        var component = NewComponent();
        await Store.AddSampleAsync(new ProbeSample(component, "http", T0, true, 1));
        var after = await Store.GetLastSampleSeqAsync();
        var probed = new ProbeSample(component, "http", T0.AddSeconds(1), false, 2, "HTTP 503") { Replica = "b" };
        await Store.AddSampleAsync(probed);
        await Store.AddSampleAsync(new ProbeSample(component, "http", T0.AddSeconds(2), true, 3));

        var read = await Store.GetSamplesAfterAsync(after, [], 10);

        read.Where(s => s.Sample.Component == component).Select(s => s.Sample).ShouldBe([probed, new ProbeSample(component, "http", T0.AddSeconds(2), true, 3)]);
        read.Select(s => s.Seq).ShouldBeInOrder();
        read[0].Seq.ShouldBeGreaterThan(after);
        var again = await Store.GetSamplesAfterAsync(read[^1].Seq, [read[0].Seq, after], 10);
        again.Select(s => s.Seq).ShouldBe([after, read[0].Seq]); // the places asked for, though below the last read
        (await Store.GetLastSampleSeqAsync()).ShouldBeGreaterThanOrEqualTo(read[^1].Seq);
    }
}
