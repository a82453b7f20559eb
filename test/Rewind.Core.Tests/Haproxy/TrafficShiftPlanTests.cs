using Rewind.Core.Haproxy;

namespace Rewind.Core.Tests.Haproxy;

public sealed class TrafficShiftPlanTests
{
    [Fact]
    public void Create_OneOldOneNew_SplitsTwoHundredFiftySixByTheSteps()
    {
        var plan = TrafficShiftPlan.Create([25, 50, 75, 100], ["old"], ["new"]);

        plan.TotalWeight.ShouldBe(256);
        plan.Stages.Select(s => (s.Percent, Weights(s))).ShouldBe(
        [
            (25, "old=192 new=64"),
            (50, "old=128 new=128"),
            (75, "old=64 new=192"),
            (100, "old=0 new=256"),
        ]);
    }

    [Fact]
    public void Create_UnevenGroups_GivesTheRemainderToTheFirstServersOfAGroup()
    {
        var plan = TrafficShiftPlan.Create([10, 50, 100], ["o1", "o2"], ["n1", "n2", "n3"]);

        plan.TotalWeight.ShouldBe(512);
        plan.Stages.Select(Weights).ShouldBe(
        [
            "o1=231 o2=230 n1=17 n2=17 n3=17",
            "o1=128 o2=128 n1=86 n2=85 n3=85",
            "o1=0 o2=0 n1=171 n2=171 n3=170",
        ]);
        plan.Stages[0].NewPercent.ShouldBe(100.0 * 51 / 512);
    }

    [Fact]
    public void Create_HalfAWeight_RoundsUpToTheNewServers()
    {
        var plan = TrafficShiftPlan.Create([5, 15, 25], ["old"], ["new"], totalWeight: 10);

        plan.Stages.Select(s => (s.OldWeight, s.NewWeight)).ShouldBe([(9, 1), (8, 2), (7, 3)]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 4)]
    [InlineData(3, 2)]
    [InlineData(5, 7)]
    public void Create_AnyStep_KeepsEveryWeightWithinHaproxysRangeAndTheTotalFixed(int olds, int news)
    {
        var plan = TrafficShiftPlan.Create([.. Enumerable.Range(0, 101)], Names("o", olds), Names("n", news));

        plan.Stages.ShouldAllBe(s => s.Weights.Sum(w => w.Weight) == plan.TotalWeight && s.Weights.All(w => w.Weight >= 0 && w.Weight <= 256));
        plan.Stages.ShouldAllBe(s => Math.Abs(s.NewPercent - s.Percent) <= 50.0 / plan.TotalWeight);
        plan.Stages[^1].Weights.Skip(olds).ShouldAllBe(w => w.Weight > 0);
    }

    [Theory]
    [InlineData(new int[0], "steps")]
    [InlineData(new[] { 50, 25 }, "steps")]
    [InlineData(new[] { 25, 25 }, "steps")]
    [InlineData(new[] { -1, 50 }, "steps")]
    [InlineData(new[] { 50, 101 }, "steps")]
    public void Create_StepsNotStrictlyIncreasingPercentages_AreRejected(int[] steps, string parameter) =>
        Should.Throw<ArgumentException>(() => TrafficShiftPlan.Create(steps, ["old"], ["new"])).ParamName.ShouldBe(parameter);

    [Theory]
    [InlineData(new string[0], new[] { "new" }, "oldServers")]
    [InlineData(new[] { "old" }, new string[0], "newServers")]
    [InlineData(new[] { "a", "b" }, new[] { "b" }, "newServers")]
    [InlineData(new[] { "old;disable server app/x" }, new[] { "new" }, "oldServers")]
    [InlineData(new[] { "old" }, new[] { "new server" }, "newServers")]
    public void Create_BadServerGroups_AreRejected(string[] oldServers, string[] newServers, string parameter) =>
        Should.Throw<ArgumentException>(() => TrafficShiftPlan.Create([50], oldServers, newServers)).ParamName.ShouldBe(parameter);

    [Theory]
    [InlineData(257)]
    [InlineData(2)]
    public void Create_TotalWeightOutsideTheGroupsRange_IsRejected(int totalWeight) =>
        Should.Throw<ArgumentOutOfRangeException>(() => TrafficShiftPlan.Create([50], ["old"], ["n1", "n2", "n3"], totalWeight))
            .Message.ShouldStartWith("the total weight must be from 3 to 256 for these groups");

    private static string Weights(TrafficStage stage) => string.Join(" ", stage.Weights.Select(w => $"{w.Server}={w.Weight}"));

    private static string[] Names(string prefix, int count) => [.. Enumerable.Range(1, count).Select(i => $"{prefix}{i}")];
}
