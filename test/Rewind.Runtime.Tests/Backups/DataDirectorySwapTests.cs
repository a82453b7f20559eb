using Rewind.Runtime.Backups;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Backups;

/// <summary>The swap journal's on-disk form is part of the contract: a re-run of another version must be able to finish it.</summary>
public sealed class DataDirectorySwapTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void CompleteSwap_KilledBetweenTheRenames_MovesTheRestoreIntoPlace()
    {
        var (data, restored, replaced) = Prepare();
        Directory.Move(data, replaced);

        var done = PointInTimeRestore.CompleteSwap(data);

        done.ShouldBe($"moved {restored} to {data}; the previous data directory is {replaced}");
        File.ReadAllText(Path.Combine(data, "which")).ShouldBe("restored");
        File.ReadAllText(Path.Combine(replaced, "which")).ShouldBe("live");
        File.Exists(data + ".rewind-swap.json").ShouldBeFalse();
    }

    [Fact]
    public void CompleteSwap_KilledBeforeTheFirstRename_DoesBothRenames()
    {
        var (data, _, replaced) = Prepare();

        PointInTimeRestore.CompleteSwap(data);

        File.ReadAllText(Path.Combine(data, "which")).ShouldBe("restored");
        File.ReadAllText(Path.Combine(replaced, "which")).ShouldBe("live");
    }

    [Fact]
    public void CompleteSwap_KilledAfterTheSecondRename_OnlyRemovesTheJournal()
    {
        var (data, restored, replaced) = Prepare();
        Directory.Move(data, replaced);
        Directory.Move(restored, data);

        PointInTimeRestore.CompleteSwap(data).ShouldBe($"swap into {data} was already complete");

        File.ReadAllText(Path.Combine(data, "which")).ShouldBe("restored");
        File.Exists(data + ".rewind-swap.json").ShouldBeFalse();
    }

    [Fact]
    public void CompleteSwap_NoJournal_DoesNothing()
    {
        PointInTimeRestore.CompleteSwap(_directory.Combine("data")).ShouldBeNull();
    }

    private (string Data, string Restored, string Replaced) Prepare()
    {
        var data = _directory.Combine("data");
        var restored = data + ".restoring-20261122T030000000Z";
        var replaced = data + ".replaced-20261122T030500Z";
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(restored);
        File.WriteAllText(Path.Combine(data, "which"), "live");
        File.WriteAllText(Path.Combine(restored, "which"), "restored");
        File.WriteAllText(data + ".rewind-swap.json", $$"""{ "dataDirectory": "{{data}}", "restored": "{{restored}}", "replaced": "{{replaced}}" }""");
        return (data, restored, replaced);
    }
}
