using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Runtime.Processes;

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

    /// <summary>Where the step's process groups are recorded while they run; <see langword="null"/> (the default) records none.</summary>
    public IStepProcessLedger? Processes { get; init; }

    /// <summary><paramref name="request"/>, recorded under this rollback's step while it runs when there is a <see cref="Processes"/> ledger.</summary>
    public ProcessRequest Recorded(ProcessRequest request) =>
        Processes is null ? request : request with { Recorder = new StepProcessRecorder(Processes, RollbackId, StepIndex) };

    /// <summary>The secrets to replace in what <paramref name="step"/> reports: <see cref="Secrets"/>, or those the step names.</summary>
    public SecretRedactor SecretsOf(PlanStep step) => Secrets ?? SecretRedactor.For([step], Environment);
}
