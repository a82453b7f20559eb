using Rewind.Core.Leadership;

namespace Rewind.Core.Tests.Leadership;

public sealed class RendezvousTests
{
    private static readonly string[] Components = [.. Enumerable.Range(0, 3000).Select(i => $"component-{i}")];

    [Fact]
    public void OwnerOf_AMemberLeaves_OnlyItsComponentsMove_SpreadOverTheOthers()
    {
        string[] four = ["a:7878", "b:7878", "c:7878", "d:7878"];
        string[] three = ["a:7878", "b:7878", "d:7878"];

        var before = Components.ToDictionary(c => c, c => Rendezvous.OwnerOf(c, four));
        var after = Components.ToDictionary(c => c, c => Rendezvous.OwnerOf(c, three));

        Components.Where(c => before[c] != after[c]).ShouldAllBe(c => before[c] == "c:7878");
        foreach (var member in four)
        {
            before.Values.Count(o => o == member).ShouldBeInRange(600, 900, $"{member}'s share of 3,000 among four");
        }

        var moved = Components.Where(c => before[c] == "c:7878").GroupBy(c => after[c]).ToDictionary(g => g.Key!, g => g.Count());
        moved.Keys.ShouldBe(["a:7878", "b:7878", "d:7878"], ignoreOrder: true); // spread, not all to one
    }

    [Fact]
    public void OwnerOf_TheOrderOfTheMembers_DoesNotMatter_AndNoMembersOwnsNothing()
    {
        string[] ordered = ["x", "y", "z"];
        string[] shuffled = ["z", "x", "y"];
        Components.Take(200).Where(c => Rendezvous.OwnerOf(c, ordered) != Rendezvous.OwnerOf(c, shuffled)).ShouldBeEmpty();
        Rendezvous.OwnerOf("web", []).ShouldBeNull();
        Rendezvous.Owned("x", Components, ["x"]).Count.ShouldBe(Components.Length);
    }

    [Fact]
    public void Hash_IsFnv1aOverUtf8_TheSameInEveryProcess()
    {
        Rendezvous.Hash("").ShouldBe(14695981039346656037UL);
        Rendezvous.Hash("a").ShouldBe(0xAF63DC4C8601EC8CUL); // FNV-1a 64 of "a"
    }
}
