namespace Rewind.Runtime.Releases;

public enum SwitchOutcome
{
    /// <summary><c>current</c> was moved to the target with one rename.</summary>
    Switched,

    /// <summary><c>current</c> already pointed at the target; nothing was touched.</summary>
    AlreadyOnTarget,

    /// <summary>The target release directory does not exist; nothing was touched.</summary>
    Refused,
}

/// <summary>What a switch did, in words fit for the rollback record.</summary>
public sealed record SwitchResult(SwitchOutcome Outcome, string Root, string TargetVersion, string? PreviousVersion, string Message)
{
    public bool Succeeded => Outcome is not SwitchOutcome.Refused;
}
