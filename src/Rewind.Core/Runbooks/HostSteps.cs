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

/// <summary>
/// The switch of a fleet: each host's <see cref="FleetHost.Steps"/> (the provider's switch, and restart, with
/// <c>{{host}}</c> filled in) run on it by its agent, as one attempt per host, at most <see cref="Concurrency"/> hosts at
/// once; each host is a member of the step's ledger. Once more than <see cref="MaxFailed"/> hosts failed (or were
/// unreachable, unless <see cref="Then"/> skips them) no further host is started, and the step fails.
/// </summary>
public sealed record FleetStep(IReadOnlyList<FleetHost> Hosts, int Concurrency, int MaxFailed, TimeSpan UnreachableWait, UnreachableAction Then) : PlanStep
{
    public const string KindName = "fleet";

    [JsonIgnore]
    public override string Kind => KindName;

    [JsonIgnore]
    public override bool IsSwitch => Hosts.Any(h => h.Steps.Any(s => s.IsSwitch));

    [JsonIgnore]
    public override IEnumerable<string> CallTemplates => Hosts.SelectMany(h => h.Steps).SelectMany(s => s.CallTemplates);

    public override string Describe() =>
        $"on {Hosts.Count} host(s) [{string.Join(", ", Hosts.Select(h => h.Host))}] by their agents, {Concurrency} at a time, up to {MaxFailed} may fail, "
        + $"an unreachable one {(Then == UnreachableAction.Skip ? "skipped" : "failed")} after {Durations.Format(UnreachableWait)}; on {Hosts[0].Host}: {Hosts[0].OnHost.Describe()}"
        + (Hosts.Count > 1 ? ", and likewise on each host" : "");

    public override PlanStep WithoutUrlPasswords() => this with { Hosts = [.. Hosts.Select(h => h with { Steps = [.. h.Steps.Select(s => s.WithoutUrlPasswords())] })] };
}

/// <summary>One host of a fleet and the steps its agent runs, one after the other.</summary>
public sealed record FleetHost(string Host, IReadOnlyList<PlanStep> Steps)
{
    /// <summary>What the host's agent is handed: its steps as one sequence.</summary>
    [JsonIgnore]
    public SequenceStep OnHost => new(Steps);
}

/// <summary>Steps run one after the other on one host by its agent, stopping at the first that fails: a fleet host's share.</summary>
public sealed record SequenceStep(IReadOnlyList<PlanStep> Steps) : PlanStep
{
    public const string KindName = "sequence";

    [JsonIgnore]
    public override string Kind => KindName;

    [JsonIgnore]
    public override bool IsSwitch => Steps.Any(s => s.IsSwitch);

    [JsonIgnore]
    public override IEnumerable<string> CallTemplates => Steps.SelectMany(s => s.CallTemplates);

    public override string Describe() => string.Join("; then ", Steps.Select(s => s.Describe()));

    public override PlanStep WithoutUrlPasswords() => this with { Steps = [.. Steps.Select(s => s.WithoutUrlPasswords())] };
}
