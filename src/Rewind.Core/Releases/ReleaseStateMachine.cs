namespace Rewind.Core.Releases;

/// <summary>The allowed moves between release states. A bad or rolled-back release never becomes good again by itself.</summary>
public static class ReleaseStateMachine
{
    public static bool CanMove(ReleaseState from, ReleaseState to) => (from, to) switch
    {
        (ReleaseState.Deploying, ReleaseState.Baking) => true,
        (ReleaseState.Deploying or ReleaseState.Baking or ReleaseState.Stable or ReleaseState.RolledBack, ReleaseState.Bad) => true,
        (ReleaseState.Baking, ReleaseState.Stable) => true,
        (ReleaseState.Deploying or ReleaseState.Baking or ReleaseState.Stable, ReleaseState.RolledBack) => true,
        _ => false,
    };

    public static string Describe(ReleaseState state) => state switch
    {
        ReleaseState.RolledBack => "rolled-back",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string text, out ReleaseState state)
    {
        foreach (var candidate in Enum.GetValues<ReleaseState>())
        {
            if (string.Equals(Describe(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}
