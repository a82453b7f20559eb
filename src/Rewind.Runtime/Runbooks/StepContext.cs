using Rewind.Core.Storage;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// What a step run knows besides its plan: which rollback and step it is (the key of its stored members), the member
/// ledger, and the controller's environment for <c>{{secret.NAME}}</c>.
/// </summary>
public sealed record StepContext(string RollbackId, int StepIndex, IMemberLedger Ledger, Func<string, string?> Environment)
{
    /// <summary>The controller's own environment variables.</summary>
    public static Func<string, string?> ProcessEnvironment { get; } = System.Environment.GetEnvironmentVariable;

    /// <summary>For a step run outside a rollback (tests, tools): nothing is recorded; secrets from the controller's environment.</summary>
    public static StepContext Detached { get; } = new("-", 0, NoLedger.Instance, ProcessEnvironment);
}
