using System.Text.Json.Serialization;
using Rewind.Core.Configuration;

namespace Rewind.Core.Runbooks;

/// <summary>
/// A step run on <see cref="Host"/> by that host's agent (<c>rewind agent</c>), not by the controller: the controller
/// hands <see cref="Step"/> over as one attempt per rollback step and host, and waits for the agent's report. When no
/// agent of the host takes it or reports it within <see cref="UnreachableWait"/>, the step ends as unreachable.
/// </summary>
public sealed record OnHostStep(string Host, PlanStep Step, TimeSpan UnreachableWait) : PlanStep
{
    public const string KindName = "on-host";

    [JsonIgnore]
    public override string Kind => KindName;

    [JsonIgnore]
    public override bool IsSwitch => Step.IsSwitch;

    [JsonIgnore]
    public override IEnumerable<string> CallTemplates => Step.CallTemplates;

    public override string Describe() =>
        $"on {Host} by its agent (unreachable after {Durations.Format(UnreachableWait)}): {Step.Describe()}";

    public override PlanStep WithoutUrlPasswords() => this with { Step = Step.WithoutUrlPasswords() };

    /// <summary><paramref name="step"/> as run on <paramref name="host"/>, or as it is when there is no host (the controller runs it).</summary>
    public static PlanStep On(string? host, PlanStep step, TimeSpan unreachableWait) =>
        host is null ? step : new OnHostStep(host, step, unreachableWait);
}
