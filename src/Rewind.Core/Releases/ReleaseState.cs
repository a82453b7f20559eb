namespace Rewind.Core.Releases;

/// <summary>Where a release is in its life. Only <see cref="Stable"/> releases are rollback targets.</summary>
public enum ReleaseState
{
    /// <summary>Being rolled out; not yet serving as the component's release.</summary>
    Deploying,

    /// <summary>Serving and being watched for its bake time.</summary>
    Baking,

    /// <summary>Ran healthy for its bake time: a candidate last known good.</summary>
    Stable,

    /// <summary>Marked as hurting users, by a person or a policy. Never a rollback target.</summary>
    Bad,

    /// <summary>Was serving and has been rolled back away from. Never a rollback target.</summary>
    RolledBack,
}
