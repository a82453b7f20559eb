using Rewind.Core.Configuration;
using Rewind.Core.Policies;

namespace Rewind.Engine.Policies;

/// <summary>Declared maintenance: signals are recorded, no policy acts, and what happened inside the window does not count after it.</summary>
internal sealed partial class DecisionEngine
{
    private async Task<bool> InMaintenanceAsync(string componentName, ComponentConfig component, CancellationToken cancellationToken)
    {
        if (await store.GetActiveMaintenanceAsync(componentName, time.GetUtcNow(), cancellationToken) is null)
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
