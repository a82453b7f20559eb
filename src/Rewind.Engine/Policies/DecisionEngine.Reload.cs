namespace Rewind.Engine.Policies;

internal sealed partial class DecisionEngine
{
    /// <summary>
    /// Drops what the engine remembers of policies a reload of the config changed or removed (their streaks, trends,
    /// regression tests, held rollbacks): a changed policy starts judging from its first new sample, under its new terms.
    /// </summary>
    public void Forget(IEnumerable<(string Component, string Policy)> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        foreach (var key in policies)
        {
            _states.TryRemove(key, out _);
            _trends.TryRemove(key, out _);
            _regressions.TryRemove(key, out _);
            _heldByOverload.TryRemove(key, out _);
        }
    }
}
