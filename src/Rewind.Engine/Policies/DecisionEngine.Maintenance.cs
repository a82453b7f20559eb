using Rewind.Core.Configuration;
using Rewind.Core.Policies;

namespace Rewind.Engine.Policies;

/// <summary>Declared maintenance: signals are recorded, no policy acts, and what happened inside the window does not count after it.</summary>
internal sealed partial class DecisionEngine
{
    private bool InMaintenance(string componentName, ComponentConfig component, ComponentFacts held)
    {
        if (held.MaintenanceAt(time.GetUtcNow()) is null)
        {
            return false;
        }

        foreach (var name in component.Policies.Keys)
        {
            _states[(componentName, name)] = PolicyState.Initial;
            _regressions.TryRemove((componentName, name), out _);
        }

        ForgetConditions(componentName);

        return true;
    }
}
