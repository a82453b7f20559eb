using Rewind.Core.Releases;

namespace Rewind.Core.Tests.Releases;

public sealed class ReleaseStateMachineTests
{
    [Theory]
    [InlineData(ReleaseState.Deploying, ReleaseState.Baking, true)]
    [InlineData(ReleaseState.Baking, ReleaseState.Stable, true)]
    [InlineData(ReleaseState.Stable, ReleaseState.Bad, true)]
    [InlineData(ReleaseState.Baking, ReleaseState.RolledBack, true)]
    [InlineData(ReleaseState.Bad, ReleaseState.Stable, false)]
    [InlineData(ReleaseState.Bad, ReleaseState.Baking, false)]
    [InlineData(ReleaseState.RolledBack, ReleaseState.Stable, false)]
    [InlineData(ReleaseState.Stable, ReleaseState.Baking, false)]
    public void CanMove_FollowsTheLifecycle(ReleaseState from, ReleaseState to, bool allowed) =>
        ReleaseStateMachine.CanMove(from, to).ShouldBe(allowed);

    [Fact]
    public void Describe_RoundTripsThroughTryParse()
    {
        foreach (var state in Enum.GetValues<ReleaseState>())
        {
            ReleaseStateMachine.TryParse(ReleaseStateMachine.Describe(state), out var parsed).ShouldBeTrue();
            parsed.ShouldBe(state);
        }

        ReleaseStateMachine.Describe(ReleaseState.RolledBack).ShouldBe("rolled-back");
    }
}
