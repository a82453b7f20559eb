namespace Rewind.Runtime.Runbooks;

/// <summary>What one run of a step did, in words for the rollback record.</summary>
public sealed record StepOutcome(bool Succeeded, string Output)
{
    public static StepOutcome Success(string output) => new(true, output);

    public static StepOutcome Failure(string output) => new(false, output);
}
