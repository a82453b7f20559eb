using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// A step whose effect can be read back from the world (a symlink's target). A step interrupted after it started (a
/// stop, a crash, another replica taking over) is checked before it runs again: found in place, it is recorded as done
/// and not repeated.
/// </summary>
public interface IStepStateReader
{
    /// <summary>A sentence saying what was read when the step's effect is already in place; null when it is not, or cannot be told.</summary>
    string? InPlace(PlanStep planStep);
}
