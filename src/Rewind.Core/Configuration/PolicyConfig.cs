using Rewind.Core.Incidents;
using Rewind.Core.Policies;

namespace Rewind.Core.Configuration;

/// <summary>One rule of the decision matrix.</summary>
public sealed class PolicyConfig
{
    public ConditionConfig When { get; set; } = new();

    /// <summary>Severity of the incident the policy opens. Default P1.</summary>
    public Severity Severity { get; set; } = Severity.P1;

    /// <summary><c>auto</c> rolls back, <c>approve</c> waits for a person, <c>notify</c> only opens the incident. Default auto.</summary>
    public PolicyMode Mode { get; set; } = PolicyMode.Auto;

    /// <summary>After an automatic rollback of the component, further automatic rollbacks wait this long. Default 10m.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class ConditionConfig
{
    /// <summary>The probe whose failures the condition watches.</summary>
    public string Probe { get; set; } = "";

    /// <summary>How long the probe must fail without a pass before the policy fires. Default 30s.</summary>
    public TimeSpan FailingFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed samples needed as well, so one flaky sample never fires. Default 2.</summary>
    public int MinFailures { get; set; } = 2;

    /// <summary>Consecutive passes that end an episode. Default 3.</summary>
    public int RecoverAfter { get; set; } = 3;
}
