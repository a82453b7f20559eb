using Rewind.Core.Configuration;
using Rewind.Core.Signals;

namespace Rewind.Core.Policies;

public enum PolicyTransition
{
    None,

    /// <summary>The condition started to hold: an episode begins.</summary>
    Fired,

    /// <summary>The condition stopped holding for long enough: the episode ends.</summary>
    Recovered,
}

/// <summary>
/// The memory of a "probe failing for a duration" condition. Immutable; <c>Observe</c> returns the next state.
/// Hysteresis both ways: <c>min-failures</c> consecutive failures held for <c>failing-for</c> before firing, and
/// <c>recover-after</c> consecutive passes before the episode ends, so one flaky sample neither fires nor recovers.
/// </summary>
public sealed record PolicyState(int ConsecutiveFailures, int ConsecutiveSuccesses, DateTimeOffset? FailingSince, bool Firing)
{
    public static PolicyState Initial { get; } = new(0, 0, null, false);

    public (PolicyState Next, PolicyTransition Transition) Observe(ConditionConfig condition, ProbeSample sample)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(sample);
        return Observe(!sample.Success, sample.At, condition.FailingFor, condition);
    }

    /// <summary>
    /// One evaluation of any condition: <paramref name="holds"/> is whether it holds now. It fires after <c>min-failures</c>
    /// holding evaluations in a row that span at least <paramref name="holdFor"/>; it ends after <c>recover-after</c> that do not.
    /// </summary>
    public (PolicyState Next, PolicyTransition Transition) Observe(bool holds, DateTimeOffset at, TimeSpan holdFor, ConditionConfig condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!holds)
        {
            var passes = ConsecutiveSuccesses + 1;
            var recovered = Firing && passes >= condition.RecoverAfter;
            return (new PolicyState(0, passes, null, Firing && !recovered), recovered ? PolicyTransition.Recovered : PolicyTransition.None);
        }

        var failures = ConsecutiveFailures + 1;
        var since = FailingSince ?? at;
        var fires = !Firing && failures >= condition.MinFailures && at - since >= holdFor - JitterAllowance(holdFor);
        return (new PolicyState(failures, 0, since, Firing || fires), fires ? PolicyTransition.Fired : PolicyTransition.None);
    }

    /// <summary>
    /// A hold counts as met a tenth of its length early, at most 500 ms: probe runs are timed by a clock that jitters by
    /// milliseconds, so a <c>failing-for: 2s</c> at 1 s probes is met by the third failure even when it lands 1.998 s
    /// after the first, instead of waiting a whole extra interval for a fourth.
    /// </summary>
    public static TimeSpan JitterAllowance(TimeSpan holdFor) => TimeSpan.FromTicks(Math.Min(holdFor.Ticks / 10, TimeSpan.FromMilliseconds(500).Ticks));

    /// <summary>For how long the condition has held, in an operator's words.</summary>
    public string HeldFor(DateTimeOffset now) => FailingSince is { } since
        ? $"held for {Durations.Format(now - since)} ({ConsecutiveFailures} evaluations in a row)"
        : "not holding";

    /// <summary>Evidence for the timeline, in the words an operator reads.</summary>
    public string Describe(string probe, DateTimeOffset now) => FailingSince is { } since
        ? $"probe {probe} failing for {Durations.Format(now - since)} ({ConsecutiveFailures} consecutive failures)"
        : $"probe {probe} passing ({ConsecutiveSuccesses} consecutive passes)";
}
