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
/// The memory of a "probe failing for a duration" condition. Immutable; <see cref="Observe"/> returns the next state.
/// Hysteresis both ways: <c>min-failures</c> consecutive failures held for <c>failing-for</c> before firing, and
/// <c>recover-after</c> consecutive passes before the episode ends, so one flaky sample neither fires nor recovers.
/// </summary>
public sealed record PolicyState(int ConsecutiveFailures, int ConsecutiveSuccesses, DateTimeOffset? FailingSince, bool Firing)
{
    public static PolicyState Initial { get; } = new(0, 0, null, false);

    public (PolicyState Next, PolicyTransition Transition) Observe(ConditionConfig condition, ProbeSample sample)
    {
        if (sample.Success)
        {
            var passes = ConsecutiveSuccesses + 1;
            var recovered = Firing && passes >= condition.RecoverAfter;
            return (new PolicyState(0, passes, null, Firing && !recovered), recovered ? PolicyTransition.Recovered : PolicyTransition.None);
        }

        var failures = ConsecutiveFailures + 1;
        var since = FailingSince ?? sample.At;
        var fires = !Firing && failures >= condition.MinFailures && sample.At - since >= condition.FailingFor;
        return (new PolicyState(failures, 0, since, Firing || fires), fires ? PolicyTransition.Fired : PolicyTransition.None);
    }

    /// <summary>Evidence for the timeline, in the words an operator reads.</summary>
    public string Describe(string probe, DateTimeOffset now) => FailingSince is { } since
        ? $"probe {probe} failing for {Durations.Format(now - since)} ({ConsecutiveFailures} consecutive failures)"
        : $"probe {probe} passing ({ConsecutiveSuccesses} consecutive passes)";
}
