using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Runbooks;

internal static class StepRunnerGuard
{
    /// <summary>Handing a runner the wrong kind of step is a bug in the executor, not a step failure.</summary>
    public static T Expect<T>(PlanStep step)
        where T : PlanStep
    {
        ArgumentNullException.ThrowIfNull(step);
        return step as T ?? throw new ArgumentException($"a {typeof(T).Name} runner cannot run a {step.Kind} step", nameof(step));
    }
}
