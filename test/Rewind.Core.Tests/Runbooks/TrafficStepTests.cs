using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Runbooks;

public sealed class TrafficStepTests
{
    private static TrafficStep Step(List<int> steps) => TrafficStep.Resolve(
        new TrafficStepConfig
        {
            Haproxy = new HaproxyConfig { Socket = "unix:/run/haproxy/admin.sock", Backend = "web" },
            To = ["blue-1", "blue-2"],
            From = ["green-1", "green-2", "green-3"],
            Steps = steps,
            Gate = TimeSpan.FromSeconds(10),
            Timeout = TimeSpan.FromMinutes(2),
        },
        "shift");

    [Fact]
    public void Describe_TwoToThreeFrom_ShowsEveryServersWeightAtEveryStageAndWhereAFailureGoesBack() =>
        Step([25, 50, 75, 100]).Describe().ShouldBe(
            "shift: traffic web via unix:/run/haproxy/admin.sock: to [blue-1, blue-2] from [green-1, green-2, green-3]: "
            + "25% (blue-1=64, blue-2=64, green-1=128, green-2=128, green-3=128), "
            + "50% (blue-1=128, blue-2=128, green-1=86, green-2=85, green-3=85), "
            + "75% (blue-1=192, blue-2=192, green-1=43, green-2=43, green-3=42), "
            + "100% (blue-1=256, blue-2=256, green-1=0, green-2=0, green-3=0); "
            + "each stage only onto servers Up in HAProxy, then 10s gate; a to server not Up in a gate, or the timeout (2m) after a stage, sets back the previous stage (before the first: 0% (blue-1=0, blue-2=0, green-1=171, green-2=171, green-3=170)) and fails");

    [Fact]
    public void Before_EachStage_IsThePreviousStageAndZeroPercentBeforeTheFirst()
    {
        var step = Step([25, 100]);

        (step.Before(0).Percent, step.Before(1).Percent).ShouldBe((0, 25));
        step.Before(0).Weights.Where(w => w.Server.StartsWith("blue", StringComparison.Ordinal)).ShouldAllBe(w => w.Weight == 0);
    }

    [Fact]
    public void Resolve_OnlyOneHundred_MovesEverythingInOneStage() =>
        Step([100]).Stages.ShouldHaveSingleItem().NewWeight.ShouldBe(512);
}
