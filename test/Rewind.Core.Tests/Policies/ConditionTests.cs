using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Policies;
using Rewind.Core.Policies.Conditions;

namespace Rewind.Core.Tests.Policies;

/// <summary>Every condition kind, in virtual time, through the same hysteresis the engine applies.</summary>
public sealed class ConditionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Signal_AboveForADuration_FiresOnlyAfterTheDurationAndRecoversAfterCleanValues()
    {
        var signal = new SignalConditionConfig { Name = "errors", Above = 0.05, For = TimeSpan.FromSeconds(30) };
        var condition = new ConditionConfig { Signal = signal, MinFailures = 2, RecoverAfter = 2 };
        var state = PolicyState.Initial;
        var fired = -1;
        var values = new double[] { 0.01, 0.08, 0.09, 0.10, 0.12, 0.2, 0.2, 0.01, 0.01 };
        var transitions = new List<PolicyTransition>();
        for (var i = 0; i < values.Length; i++)
        {
            (state, var transition) = state.Observe(SignalThreshold.Holds(signal, values[i])!.Value, _time.GetUtcNow(), signal.For, condition);
            transitions.Add(transition);
            fired = transition == PolicyTransition.Fired ? i : fired;
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        fired.ShouldBe(4); // above since sample 1 (t=10s); 30 s later is sample 4
        transitions[^1].ShouldBe(PolicyTransition.Recovered);
        transitions.Count(t => t == PolicyTransition.Fired).ShouldBe(1);
    }

    [Fact]
    public void Signal_OneValueBackUnderTheLimit_RestartsTheDuration()
    {
        var signal = new SignalConditionConfig { Name = "errors", Above = 0.05, For = TimeSpan.FromSeconds(20) };
        var condition = new ConditionConfig { Signal = signal, MinFailures = 1 };
        var state = PolicyState.Initial;
        foreach (var value in new[] { 0.1, 0.1, 0.01, 0.1, 0.1 })
        {
            (state, var transition) = state.Observe(SignalThreshold.Holds(signal, value)!.Value, _time.GetUtcNow(), signal.For, condition);
            transition.ShouldBe(PolicyTransition.None);
            _time.Advance(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void Signal_NoData_IsNoEvaluationUnlessThePolicySaysItHolds()
    {
        var signal = new SignalConditionConfig { Name = "errors", Below = 10 };

        SignalThreshold.Holds(signal, null).ShouldBeNull();
        SignalThreshold.Holds(signal, 5).ShouldBe(true);
        SignalThreshold.Holds(signal, 15).ShouldBe(false);
        signal.NoData = NoDataMode.Holds;
        SignalThreshold.Holds(signal, null).ShouldBe(true);
        SignalThreshold.Describe(signal, null, "connection refused").ShouldBe("signal errors = no data (connection refused), limit below 10");
    }

    [Fact]
    public void Count_MoreThanTheLimitInTheWindow_HoldsUntilTheWindowSlidesPast()
    {
        var window = new EventWindow(TimeSpan.FromMinutes(1));
        var start = _time.GetUtcNow();
        for (var i = 0; i < 11; i++)
        {
            window.Add(start + TimeSpan.FromSeconds(i * 5), 1);
        }

        var now = start + TimeSpan.FromSeconds(50);
        window.Count(now, TimeSpan.FromMinutes(1)).ShouldBe(11);
        window.Count(now, TimeSpan.FromSeconds(20)).ShouldBe(4); // 35, 40, 45, 50: the window is (30 s, 50 s]
        window.Count(start + TimeSpan.FromSeconds(61), TimeSpan.FromMinutes(1)).ShouldBe(10); // the first event left the window
        window.Count(start + TimeSpan.FromSeconds(200), TimeSpan.FromMinutes(1)).ShouldBe(0);
    }

    [Fact]
    public void Count_ManyEventsAtOnce_ShareEntriesAndStillCountExactly()
    {
        var window = new EventWindow(TimeSpan.FromMinutes(1));
        var start = _time.GetUtcNow();
        for (var i = 0; i < 10_000; i++)
        {
            window.Add(start + TimeSpan.FromMilliseconds(i), 3);
        }

        window.Count(start + TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)).ShouldBe(30_000);
    }

    [Fact]
    public void Fraction_MoreThanHalfOfMembersFailing_Holds()
    {
        var fraction = new FractionConditionConfig { Probes = ["fn-a", "fn-b", "fn-c", "fn-d"], Above = 0.5 };
        var last = new Dictionary<string, bool?>(StringComparer.Ordinal) { ["fn-a"] = false, ["fn-b"] = false, ["fn-c"] = true, ["fn-d"] = null };

        var (halfHolds, halfEvidence) = MemberFraction.Evaluate(fraction, fraction.Probes, m => last[m]);
        last["fn-d"] = false;
        var (moreHolds, moreEvidence) = MemberFraction.Evaluate(fraction, fraction.Probes, m => last[m]);

        halfHolds.ShouldBeFalse(); // 2 of 4 is not more than 50 %
        halfEvidence.ShouldBe("2 of 4 members failing (50 %, limit above 50 %): fn-a, fn-b; 1 not probed yet");
        moreHolds.ShouldBeTrue();
        moreEvidence.ShouldBe("3 of 4 members failing (75 %, limit above 50 %): fn-a, fn-b, fn-d");
    }

    [Fact]
    public void Fraction_HeldForTwoMinutes_FiresAfterTwoMinutes()
    {
        var fraction = new FractionConditionConfig { Probes = ["a", "b"], Above = 0.4, For = TimeSpan.FromMinutes(2) };
        var condition = new ConditionConfig { Fraction = fraction, MinFailures = 1 };
        var state = PolicyState.Initial;
        var firedAt = TimeSpan.MinValue;
        for (var t = TimeSpan.Zero; t <= TimeSpan.FromMinutes(3); t += TimeSpan.FromSeconds(1))
        {
            var (holds, _) = MemberFraction.Evaluate(fraction, fraction.Probes, m => m != "a");
            (state, var transition) = state.Observe(holds, _time.GetUtcNow(), fraction.For, condition);
            firedAt = transition == PolicyTransition.Fired ? t : firedAt;
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        firedAt.ShouldBe(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Trend_DiskFillingUp_PredictsWhenItIsFull()
    {
        var trend = new LinearTrend(TimeSpan.FromMinutes(10));
        var start = _time.GetUtcNow();
        for (var i = 0; i <= 10; i++)
        {
            trend.Add(start + TimeSpan.FromMinutes(i), 100 + (10 * i)); // +10 per minute, at 200 after 10 minutes
        }

        var now = start + TimeSpan.FromMinutes(10);
        var reach = trend.TimeToReach(now, limit: 500, falling: false, minPoints: 5);

        reach.ShouldNotBeNull();
        reach.Value.TotalMinutes.ShouldBe(30, tolerance: 1e-6);
        trend.Describe(now, 500, false, 5).ShouldBe("fit over 11 values: now 200, slope 10/min, limit 500: reaches it in 30m");
    }

    [Fact]
    public void Trend_FlatMovingAwayOrTooFewPoints_PredictsNothing()
    {
        var flat = new LinearTrend(TimeSpan.FromMinutes(10));
        var falling = new LinearTrend(TimeSpan.FromMinutes(10));
        var start = _time.GetUtcNow();
        for (var i = 0; i < 6; i++)
        {
            flat.Add(start + TimeSpan.FromMinutes(i), 100);
            falling.Add(start + TimeSpan.FromMinutes(i), 100 - i);
        }

        var now = start + TimeSpan.FromMinutes(5);
        flat.TimeToReach(now, 500, falling: false, minPoints: 5).ShouldBeNull();
        falling.TimeToReach(now, 500, falling: false, minPoints: 5).ShouldBeNull();
        falling.TimeToReach(now, 90, falling: true, minPoints: 5)!.Value.TotalMinutes.ShouldBe(5, tolerance: 1e-6); // free space running out
        falling.TimeToReach(now, 90, falling: true, minPoints: 7).ShouldBeNull();
    }

    [Fact]
    public void Trend_OldValuesLeaveTheWindow()
    {
        var trend = new LinearTrend(TimeSpan.FromMinutes(5));
        var start = _time.GetUtcNow();
        for (var i = 0; i < 20; i++)
        {
            trend.Add(start + TimeSpan.FromMinutes(i), i < 10 ? 1000 - (100 * i) : 100); // fell fast long ago, flat for the last 10 minutes
        }

        trend.Count.ShouldBe(6);
        trend.TimeToReach(start + TimeSpan.FromMinutes(19), 0, falling: true, minPoints: 5).ShouldBeNull();
    }

    [Fact]
    public void Composite_AnyCriticalOrAtLeastThreeWarnings()
    {
        var clauses = new List<CompositeClauseConfig>
        {
            new() { Severity = Severity.P0, AtLeast = 1 },
            new() { Severity = Severity.P3, AtLeast = 3 },
        };
        var policies = new Dictionary<string, (bool Firing, Severity Severity)>(StringComparer.Ordinal)
        {
            ["db-down"] = (false, Severity.P0),
            ["slow"] = (true, Severity.P3),
            ["errors"] = (true, Severity.P3),
            ["queue"] = (false, Severity.P3),
            ["overall"] = (false, Severity.P3),
        };

        var (twoWarnings, evidence) = Composite.Evaluate(clauses, "overall", policies);
        policies["queue"] = (true, Severity.P3);
        var (threeWarnings, _) = Composite.Evaluate(clauses, "overall", policies);
        policies["queue"] = (false, Severity.P3);
        policies["db-down"] = (true, Severity.P0);
        var (critical, criticalEvidence) = Composite.Evaluate(clauses, "overall", policies);

        twoWarnings.ShouldBeFalse();
        evidence.ShouldBe("0 of 1 (P0 policies) firing, 1 needed; 2 of 3 (P3 policies) firing, 3 needed: errors, slow");
        threeWarnings.ShouldBeTrue();
        critical.ShouldBeTrue();
        criticalEvidence.ShouldStartWith("1 of 1 (P0 policies) firing, 1 needed: db-down [met]");
    }

    [Fact]
    public void Composite_NamedPolicies_CountsOnlyThose()
    {
        var clauses = new List<CompositeClauseConfig> { new() { Policies = ["a", "b"], AtLeast = 2 } };
        var policies = new Dictionary<string, (bool Firing, Severity Severity)>(StringComparer.Ordinal)
        {
            ["a"] = (true, Severity.P1),
            ["b"] = (false, Severity.P1),
            ["c"] = (true, Severity.P1),
        };

        Composite.Evaluate(clauses, "x", policies).Holds.ShouldBeFalse();
        policies["b"] = (true, Severity.P1);
        Composite.Evaluate(clauses, "x", policies).Holds.ShouldBeTrue();
    }
}
