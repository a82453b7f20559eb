namespace Rewind.Core.Policies;

public enum PolicyMode
{
    /// <summary>Roll back without asking.</summary>
    Auto,

    /// <summary>Open the incident and wait for a person to approve the rollback.</summary>
    Approve,

    /// <summary>Open the incident and notify; never roll back.</summary>
    Notify,
}
