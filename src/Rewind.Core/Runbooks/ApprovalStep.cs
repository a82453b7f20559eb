using System.Text.Json.Serialization;
using Rewind.Core.Approvals;
using Rewind.Core.Configuration;

namespace Rewind.Core.Runbooks;

/// <summary>
/// A gate: the rollback waits here until the approvals satisfy the step's rule (the authorisation matrix's rules, see
/// <see cref="ApprovalMatrix"/>), someone denies, or <see cref="DecideWithin"/> passes and <see cref="OnTimeout"/> applies.
/// The message is filled when the plan is made, so the dry run and the record show exactly what is asked.
/// </summary>
public sealed record ApprovalStep(
    string Message,
    IReadOnlyList<string> AnyOf,
    IReadOnlyList<string> AllOf,
    bool TwoPerson,
    bool SecondFactor,
    TimeSpan DecideWithin,
    [property: JsonConverter(typeof(JsonStringEnumConverter<GateTimeout>))] GateTimeout OnTimeout,
    string? Label = null) : PlanStep
{
    public const string KindName = "approval";

    [JsonIgnore]
    public override string Kind => KindName;

    /// <summary>The step as a rule of the authorisation matrix, so that approvals are judged exactly as the matrix judges them.</summary>
    public ApprovalRuleConfig ToRule() => new()
    {
        AnyOf = [.. AnyOf],
        AllOf = [.. AllOf],
        TwoPerson = TwoPerson,
        SecondFactor = SecondFactor,
        DecideWithin = DecideWithin,
        OnTimeout = OnTimeout == GateTimeout.Proceed ? ApprovalTimeout.Proceed : ApprovalTimeout.Escalate,
    };

    /// <summary>Who may pass the gate, in an operator's words.</summary>
    public string Approvers() =>
        ApprovalMatrix.Evaluate(ToRule(), "", []).Missing
        + (TwoPerson ? ", not the requester's own" : "")
        + (SecondFactor ? ", with a second factor" : "");

    public override string Describe() =>
        $"{(Label is null ? "" : Label + ": ")}approval gate \"{Message}\": needs {Approvers()}; decide within {Durations.Format(DecideWithin)}, then {OnTimeoutText}";

    private string OnTimeoutText => OnTimeout switch
    {
        GateTimeout.EscalateAndWait => "escalate and keep waiting",
        GateTimeout.Proceed => "proceed if an auto-mode policy asked for the rollback, else fail",
        _ => "fail",
    };
}
