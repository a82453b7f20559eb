using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Configuration;
using Rewind.Core.Policies;
using Rewind.Core.Signals;

namespace Rewind.Core.Tests.Policies;

public sealed class PolicyStateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));
    private readonly ConditionConfig _condition = new() { Probe = "health", FailingFor = TimeSpan.FromSeconds(3), MinFailures = 2, RecoverAfter = 3 };

    [Fact]
    public void Observe_FailuresHeldForTheDuration_FiresOnce()
    {
        var state = PolicyState.Initial;
        var transitions = new List<PolicyTransition>();
        for (var i = 0; i < 8; i++)
        {
            (state, var transition) = state.Observe(_condition, Sample(success: false));
            transitions.Add(transition);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        transitions.Count(t => t == PolicyTransition.Fired).ShouldBe(1);
        transitions.IndexOf(PolicyTransition.Fired).ShouldBe(3); // failing since t0, fired at t0 + 3s
        state.Firing.ShouldBeTrue();
    }

    [Fact]
    public void Observe_ThirdFailureJustUnderTheHold_FiresWithoutAFourthInterval()
    {
        var condition = new ConditionConfig { Probe = "health", FailingFor = TimeSpan.FromSeconds(2), MinFailures = 2 };
        var state = PolicyState.Initial;
        var transitions = new List<PolicyTransition>();
        foreach (var step in new[] { 0, 1_003, 995 }) // 1 s probes whose timer jitters: the third lands 1.998 s after the first
        {
            _time.Advance(TimeSpan.FromMilliseconds(step));
            (state, var transition) = state.Observe(condition, Sample(success: false));
            transitions.Add(transition);
        }

        transitions.ShouldBe([PolicyTransition.None, PolicyTransition.None, PolicyTransition.Fired]);
    }

    [Fact]
    public void Observe_FailuresWellShortOfTheHold_DoNotFire()
    {
        var condition = new ConditionConfig { Probe = "health", FailingFor = TimeSpan.FromSeconds(2), MinFailures = 2 };
        var state = PolicyState.Initial;
        foreach (var step in new[] { 0, 1_000, 750 }) // 1.75 s: more than a tenth short of 2 s
        {
            _time.Advance(TimeSpan.FromMilliseconds(step));
            (state, var transition) = state.Observe(condition, Sample(success: false));
            transition.ShouldBe(PolicyTransition.None);
        }
    }

    [Fact]
    public void Observe_OnePassInsideTheWindow_RestartsTheClock()
    {
        var state = PolicyState.Initial;
        foreach (var success in new[] { false, false, false, true, false, false, false })
        {
            (state, var transition) = state.Observe(_condition, Sample(success));
            transition.ShouldBe(PolicyTransition.None);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void Observe_SingleFlakyFailureWithZeroDuration_NeedsMinFailures()
    {
        var condition = new ConditionConfig { Probe = "health", FailingFor = TimeSpan.Zero, MinFailures = 2 };
        var (state, first) = PolicyState.Initial.Observe(condition, Sample(success: false));
        first.ShouldBe(PolicyTransition.None);
        state.Observe(condition, Sample(success: false)).Transition.ShouldBe(PolicyTransition.Fired);
    }

    [Fact]
    public void Observe_WhileFiring_RecoversOnlyAfterConsecutivePasses()
    {
        var state = new PolicyState(5, 0, _time.GetUtcNow(), Firing: true);
        var transitions = new List<PolicyTransition>();
        foreach (var success in new[] { true, true, false, true, true, true })
        {
            (state, var transition) = state.Observe(_condition, Sample(success));
            transitions.Add(transition);
        }

        transitions.ShouldBe([PolicyTransition.None, PolicyTransition.None, PolicyTransition.None, PolicyTransition.None, PolicyTransition.None, PolicyTransition.Recovered]);
        state.Firing.ShouldBeFalse();
    }

    private ProbeSample Sample(bool success) => new("web", "health", _time.GetUtcNow(), success, 1.0, success ? null : "status 503, expected 200");
}
