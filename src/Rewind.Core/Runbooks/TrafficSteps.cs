using System.Text.Json.Serialization;
using Rewind.Core.Configuration;
using Rewind.Core.Haproxy;

namespace Rewind.Core.Runbooks;

/// <summary>
/// Moves traffic onto the <see cref="To"/> servers (the target release) in <see cref="Stages"/> by HAProxy weights, each
/// stage only onto servers HAProxy reports up, each followed by a <see cref="Gate"/> in which every <c>to</c> server must
/// stay up. The weights are worked out when the plan is made and stored with it, so a resumed step sets exactly the
/// weights its dry run showed.
/// </summary>
/// <remarks>
/// On failure the step leaves HAProxy at the last stage that held its whole gate: a <c>to</c> server that leaves up
/// during a gate, or the timeout running out after a stage was applied, sets back the previous stage's weights
/// (<see cref="NoTraffic"/> before the first). When no weight was moved, nothing is touched.
/// </remarks>
/// <param name="Socket">HAProxy's runtime API address.</param>
/// <param name="Backend">The backend holding every <c>to</c> and <c>from</c> server.</param>
/// <param name="To">The servers that take the traffic.</param>
/// <param name="From">The servers that give it up.</param>
/// <param name="Stages">Every server's weight at each stage, in order; the last one is 100 %.</param>
/// <param name="NoTraffic">The weights at 0 %: what a failure during the first stage goes back to.</param>
/// <param name="Gate">How long the <c>to</c> servers must stay up after each stage.</param>
/// <param name="Timeout">How long the whole step may take.</param>
/// <param name="Label">The step's name in the plan, if any.</param>
public sealed record TrafficStep(
    string Socket,
    string Backend,
    IReadOnlyList<string> To,
    IReadOnlyList<string> From,
    IReadOnlyList<TrafficStage> Stages,
    TrafficStage NoTraffic,
    TimeSpan Gate,
    TimeSpan Timeout,
    string? Label = null) : PlanStep
{
    public const string KindName = "traffic";

    [JsonIgnore]
    public override string Kind => KindName;

    /// <summary>All traffic on the target release's servers is the component on the target.</summary>
    [JsonIgnore]
    public override bool IsSwitch => true;

    /// <summary>The step of a validated config: the weights of every stage, worked out now.</summary>
    public static TrafficStep Resolve(TrafficStepConfig config, string? label)
    {
        ArgumentNullException.ThrowIfNull(config);
        var plan = TrafficShiftPlan.Create([0, .. config.Steps], config.From, config.To);
        return new TrafficStep(config.Haproxy.Socket, config.Haproxy.Backend, config.To, config.From, [.. plan.Stages.Skip(1)], plan.Stages[0], config.Gate, config.Timeout, label);
    }

    /// <summary>The weights a failure during stage <paramref name="index"/> goes back to.</summary>
    public TrafficStage Before(int index) => index == 0 ? NoTraffic : Stages[index - 1];

    /// <summary><c>25% (blue-1=64, green-1=192)</c>: the <c>to</c> servers first, each group in the order given.</summary>
    public string DescribeStage(TrafficStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var weights = stage.Weights.ToDictionary(w => w.Server, w => w.Weight, StringComparer.Ordinal);
        return $"{stage.Percent}% ({string.Join(", ", To.Concat(From).Select(s => $"{s}={weights.GetValueOrDefault(s)}"))})";
    }

    public override string Describe() =>
        $"{(Label is null ? "" : Label + ": ")}traffic {Backend} via {Socket}: to [{string.Join(", ", To)}] from [{string.Join(", ", From)}]: "
        + $"{string.Join(", ", Stages.Select(DescribeStage))}; each stage only onto servers Up in HAProxy, then {Durations.Format(Gate)} gate; "
        + $"a to server not Up in a gate, or the timeout ({Durations.Format(Timeout)}) after a stage, sets back the previous stage (before the first: {DescribeStage(NoTraffic)}) and fails";
}

/// <summary>Forces <see cref="State"/> on the <see cref="Servers"/> of a HAProxy backend. Setting a state again is harmless.</summary>
public sealed record MaintenanceStep(string Socket, string Backend, IReadOnlyList<string> Servers, MaintenanceState State, string? Label = null) : PlanStep
{
    public const string KindName = "maintenance";

    [JsonIgnore]
    public override string Kind => KindName;

    /// <summary>The step of a validated config.</summary>
    public static MaintenanceStep Resolve(MaintenanceStepConfig config, string? label)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new MaintenanceStep(config.Haproxy.Socket, config.Haproxy.Backend, config.Servers, config.State ?? throw new InvalidOperationException("a maintenance step without a state; the config validator should have refused it"), label);
    }

    public override string Describe() =>
        $"{(Label is null ? "" : Label + ": ")}maintenance {Backend} via {Socket}: [{string.Join(", ", Servers)}] to {State switch
        {
            MaintenanceState.Maint => "maint (no traffic, no health checks)",
            MaintenanceState.Drain => "drain (no new load-balanced traffic; health checks and persistent sessions go on)",
            _ => "ready (back in load balancing once their health checks pass)",
        }}";
}
