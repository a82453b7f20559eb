using Rewind.Core.Signals;

namespace Rewind.Core.Tests.Signals;

public sealed class MonitorHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);

    [Fact]
    public void Judge_NoFailureKnown_IsConclusive()
    {
        var health = new MonitorHealth();

        health.Judge("web", ["health"], T0).ShouldBe(MonitorVerdict.Believed);
    }

    [Fact]
    public void Judge_OneHardOutageAmongHealthyComponents_IsConclusive()
    {
        var health = new MonitorHealth();
        Fleet(health, 21, seconds: 10, fails: (c, _) => c == 0 ? "connection refused" : null);

        health.Judge("c00", ["health"], T0.AddSeconds(10)).Conclusive.ShouldBeTrue();
    }

    [Fact]
    public void Judge_OneComponentTimingOutOnTimeAmongHealthyOnes_IsConclusive()
    {
        var health = new MonitorHealth();
        Fleet(health, 21, seconds: 10, fails: (c, _) => c == 0 ? "timeout after 800ms" : null);

        health.Judge("c00", ["health"], T0.AddSeconds(10)).Conclusive.ShouldBeTrue();
    }

    [Fact]
    public void Judge_TimeoutOnARunThatStartedLate_IsInconclusive()
    {
        var health = new MonitorHealth();
        Fleet(health, 5, seconds: 5, fails: (_, _) => null);
        health.Record(Run("c00", T0.AddSeconds(5), lag: TimeSpan.FromMilliseconds(600), error: "timeout after 800ms"));

        var verdict = health.Judge("c00", ["health"], T0.AddSeconds(6));

        verdict.Conclusive.ShouldBeFalse();
        verdict.Reason.ShouldBe("the failed run of probe health (timeout) started 600ms late: the controller could not run it on time, so its result says nothing about c00");
    }

    [Fact]
    public void Judge_TimeoutThatFiredLongAfterItsTimeout_IsInconclusive()
    {
        var health = new MonitorHealth();
        health.Record(Run("c00", T0, elapsed: TimeSpan.FromMilliseconds(2100), error: "timeout after 800ms"));

        health.Judge("c00", ["health"], T0.AddSeconds(3)).Reason.ShouldBe(
            "the failed run of probe health (timeout) ended 1.3s after its timeout of 800ms: the controller's own timers fire late, so its result says nothing about c00");
    }

    [Fact]
    public void Judge_TimeoutOnALateRunFollowedByAPass_IsStillInconclusive()
    {
        var health = new MonitorHealth();
        health.Record(Run("c00", T0, lag: TimeSpan.FromMilliseconds(600), error: "timeout after 800ms"));
        health.Record(Run("c00", T0.AddSeconds(1)));

        health.Judge("c00", ["health"], T0.AddSeconds(1)).Conclusive.ShouldBeFalse();
    }

    [Fact]
    public void Judge_ControllerLateOnMostRuns_TimeoutIsInconclusiveWithTheLag()
    {
        var health = new MonitorHealth();
        Fleet(health, 3, seconds: 10, fails: (_, _) => null, lag: (c, s) => TimeSpan.FromMilliseconds(c == 1 ? 1400 : 400));
        health.Record(Run("c00", T0.AddSeconds(10), error: "timeout after 800ms"));

        var verdict = health.Judge("c00", ["health"], T0.AddSeconds(10));

        verdict.Conclusive.ShouldBeFalse();
        verdict.Reason.ShouldBe("the controller itself is overloaded: probe runs started up to 1.4s late in the last 10s (30 of 31 runs)");
    }

    [Fact]
    public void Judge_ControllerOverloaded_AnAnswerFromTheServiceStaysConclusive()
    {
        var health = new MonitorHealth();
        Fleet(health, 3, seconds: 10, fails: (_, _) => null, lag: (_, _) => TimeSpan.FromMilliseconds(900));
        health.Record(Run("c00", T0.AddSeconds(10), error: "status 500, expected 200"));

        health.Status(T0.AddSeconds(10)).Overloaded.ShouldBeTrue();
        health.Judge("c00", ["health"], T0.AddSeconds(10)).Conclusive.ShouldBeTrue();
    }

    [Fact]
    public void Judge_OnePauseThatDelaysEveryLoopOnce_IsNotOverload()
    {
        var health = new MonitorHealth();
        Fleet(health, 10, seconds: 10, fails: (_, _) => null, lag: (_, s) => s == 4 ? TimeSpan.FromMilliseconds(500) : TimeSpan.Zero);
        health.Record(Run("c00", T0.AddSeconds(10), error: "timeout after 800ms"));

        health.Status(T0.AddSeconds(10)).Overloaded.ShouldBeFalse();
        health.Judge("c00", ["health"], T0.AddSeconds(10)).Conclusive.ShouldBeTrue();
    }

    [Fact]
    public void Judge_TimerTicksOfTheSelfProbeLate_CountAsOverload()
    {
        var health = new MonitorHealth();
        var tick = TimeSpan.FromMilliseconds(250);
        for (var i = 0; i < 40; i++)
        {
            var due = T0 + (tick * i);
            health.RecordTick(due, due.AddMilliseconds(i % 2 == 0 ? 700 : 10), tick);
        }

        health.Record(Run("c00", T0.AddSeconds(10), error: "timeout after 800ms"));

        health.Judge("c00", ["health"], T0.AddSeconds(10)).Reason.ShouldBe("the controller itself is overloaded: probe runs started up to 700ms late in the last 10s (20 of 41 runs)");
    }

    [Fact]
    public void Judge_SlowStoreWrites_MakeTimeoutsInconclusive()
    {
        var health = new MonitorHealth();
        health.RecordStoreWrite(T0.AddSeconds(2), TimeSpan.FromMilliseconds(1500));
        health.RecordStoreWrite(T0.AddSeconds(4), TimeSpan.FromMilliseconds(2100));
        health.Record(Run("c00", T0.AddSeconds(5), error: "timeout after 800ms"));

        health.Judge("c00", ["health"], T0.AddSeconds(5)).Reason.ShouldBe(
            "the controller itself is overloaded: 2 store writes took over 1s (up to 2.1s) in the last 10s");
    }

    [Fact]
    public void Status_OverloadPassed_ClearsAfterTheWindow()
    {
        var health = new MonitorHealth();
        Fleet(health, 3, seconds: 10, fails: (_, _) => null, lag: (_, _) => TimeSpan.FromMilliseconds(900));
        var during = health.Status(T0.AddSeconds(10));
        Fleet(health, 3, seconds: 21, fails: (_, _) => null, start: 10);

        during.ShouldBe(new MonitorStatus(true, "the controller itself is overloaded: probe runs started up to 900ms late in the last 10s (30 of 30 runs)", TimeSpan.FromMilliseconds(900), TimeSpan.Zero));
        health.Status(T0.AddSeconds(21)).ShouldBe(new MonitorStatus(false, null, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void Judge_MostComponentsTimingOutTogether_IsInconclusiveEvenOnTime()
    {
        var health = new MonitorHealth();
        Fleet(health, 21, seconds: 10, fails: (c, s) => c < 13 && s >= 8 ? "timeout after 800ms" : null);

        var verdict = health.Judge("c03", ["health"], T0.AddSeconds(10));

        verdict.Conclusive.ShouldBeFalse();
        verdict.Reason.ShouldBe("13 of 21 components failed within 2s with the same error (timeout): a failure of the monitor or of a shared dependency, not of one release");
    }

    [Fact]
    public void Judge_SharedDependencyAnswersTheSameStatusEverywhere_IsInconclusive()
    {
        var health = new MonitorHealth();
        Fleet(health, 4, seconds: 5, fails: (c, s) => c < 3 && s >= 3 ? "status 502, expected 200" : null);

        health.Judge("c01", ["health"], T0.AddSeconds(5)).Reason.ShouldBe(
            "3 of 4 components failed within 2s with the same error (HTTP status): a failure of the monitor or of a shared dependency, not of one release");
    }

    [Fact]
    public void Judge_TwoComponentsWatchedAndBothFail_IsConclusive()
    {
        var health = new MonitorHealth();
        Fleet(health, 2, seconds: 5, fails: (_, s) => s >= 2 ? "timeout after 800ms" : null);

        health.Judge("c00", ["health"], T0.AddSeconds(5)).Conclusive.ShouldBeTrue();
    }

    [Fact]
    public void Judge_ThreeOfSevenFailing_IsBelowHalfAndConclusive()
    {
        var health = new MonitorHealth();
        Fleet(health, 7, seconds: 5, fails: (c, s) => c < 3 && s >= 2 ? "timeout after 800ms" : null);

        health.Judge("c00", ["health"], T0.AddSeconds(5)).Conclusive.ShouldBeTrue();
    }

    [Fact]
    public void Judge_ManyFailingButEachInItsOwnWay_IsConclusive()
    {
        string[] errors = ["connection refused", "status 500, expected 200", "timeout after 800ms", "body does not match ok"];
        var health = new MonitorHealth();
        Fleet(health, 4, seconds: 5, fails: (c, _) => errors[c]);

        health.Judge("c00", ["health"], T0.AddSeconds(5)).Conclusive.ShouldBeTrue();
    }

    [Fact]
    public void Judge_OthersFailedTheSameWayLongBefore_IsConclusive()
    {
        var health = new MonitorHealth();
        Fleet(health, 5, seconds: 10, fails: (c, s) => c == 0 ? (s >= 8 ? "timeout after 800ms" : null) : (s < 3 ? "timeout after 800ms" : null));

        health.Judge("c00", ["health"], T0.AddSeconds(10)).Conclusive.ShouldBeTrue();
    }

    [Fact]
    public void Judge_LongInterval_WidensTheCorrelationWindowToTwoIntervals()
    {
        var health = new MonitorHealth();
        for (var c = 0; c < 4; c++)
        {
            health.Record(Run($"c{c:00}", T0.AddSeconds(c * 10), error: c < 3 ? "timeout after 800ms" : null, interval: TimeSpan.FromSeconds(30)));
        }

        health.Judge("c00", ["health"], T0.AddSeconds(40)).Reason.ShouldStartWith("3 of 4 components failed within 1m with the same error (timeout)");
    }

    [Fact]
    public void Status_RunsNotMeasured_AreCounted_AndThreeAndAFifthOfTheRunsAreOverload_ThatHoldsATimeoutOfAnotherRun()
    {
        var health = new MonitorHealth();
        Fleet(health, 3, seconds: 2, fails: (c, s) => c == 0 && s == 1 ? "timeout after 800ms" : null);
        health.RecordNotMeasured(T0.AddSeconds(1), NotMeasuredReason.Late, count: 2);

        health.Status(T0.AddSeconds(1.5)).ShouldSatisfyAllConditions(
            s => s.Overloaded.ShouldBeFalse(), // two is a pause, not overload
            s => s.NotMeasured.ShouldBe(2));
        health.RecordNotMeasured(T0.AddSeconds(1.2), NotMeasuredReason.Behind);

        var status = health.Status(T0.AddSeconds(1.5));
        (status.Overloaded, status.BehindOnProbes).ShouldBe((true, true));
        status.Reason.ShouldBe("the controller itself is overloaded: 3 probe runs not measured in the last 10s (2 could not start on time, 1 timed out while it was behind)");
        (status.NotMeasured, status.NotMeasuredTotal).ShouldBe((3, 3L));
        health.Judge("c00", ["health"], T0.AddSeconds(1.5)).Conclusive.ShouldBeFalse();

        var later = health.Status(T0.AddSeconds(12));
        (later.Overloaded, later.NotMeasured, later.NotMeasuredTotal).ShouldBe((false, 0, 3L));
    }

    [Fact]
    public void Status_AFewRunsNotMeasuredAmongMany_IsNotOverload()
    {
        var health = new MonitorHealth();
        Fleet(health, 21, seconds: 10, fails: (_, _) => null);
        health.RecordNotMeasured(T0.AddSeconds(9), NotMeasuredReason.Late, count: 20); // the first runs after a start, say

        var status = health.Status(T0.AddSeconds(9.5));

        (status.Overloaded, status.BehindOnProbes, status.NotMeasured).ShouldBe((false, false, 20));
    }

    /// <summary>Every component runs its probe once a second for <paramref name="seconds"/>; <paramref name="fails"/> gives the error of component c at second s.</summary>
    private static void Fleet(MonitorHealth health, int components, int seconds, Func<int, int, string?> fails, Func<int, int, TimeSpan>? lag = null, int start = 0)
    {
        for (var s = start; s < seconds; s++)
        {
            for (var c = 0; c < components; c++)
            {
                health.Record(Run($"c{c:00}", T0.AddSeconds(s), lag?.Invoke(c, s) ?? TimeSpan.Zero, error: fails(c, s)));
            }
        }
    }

    private static ProbeRun Run(string component, DateTimeOffset due, TimeSpan lag = default, TimeSpan? elapsed = null, string? error = null, TimeSpan? interval = null) =>
        new(component, "health", due, due + lag, interval ?? Second, Timeout, elapsed ?? (error?.StartsWith("timeout", StringComparison.Ordinal) == true ? Timeout : TimeSpan.FromMilliseconds(5)), error is null, error);
}
