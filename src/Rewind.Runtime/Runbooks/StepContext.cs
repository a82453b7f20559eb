using Rewind.Core.Runbooks;
using Rewind.Core.Storage;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// What a step run knows besides its plan: which rollback and step it is (the key of its stored members), the member
/// ledger, the controller's environment for <c>{{secret.NAME}}</c>, and the secrets to keep out of what it reports
/// (<see langword="null"/>: those its own step names).
/// </summary>
public sealed record StepContext(string RollbackId, int StepIndex, IMemberLedger Ledger, Func<string, string?> Environment, SecretRedactor? Secrets = null)
{
    /// <summary>The controller's own environment variables.</summary>
    public static Func<string, string?> ProcessEnvironment { get; } = System.Environment.GetEnvironmentVariable;

    /// <summary>For a step run outside a rollback (tests, tools): nothing is recorded; secrets from the controller's environment.</summary>
    public static StepContext Detached { get; } = new("-", 0, NoLedger.Instance, ProcessEnvironment);

    /// <summary>The secrets to replace in what <paramref name="step"/> reports: <see cref="Secrets"/>, or those the step names.</summary>
    public SecretRedactor SecretsOf(PlanStep step) => Secrets ?? SecretRedactor.For([step], Environment);
}
