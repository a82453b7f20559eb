using System.Globalization;
using System.Text.Json.Serialization;
using Rewind.Core.Configuration;

namespace Rewind.Core.Runbooks;

/// <summary>
/// Runs an argv (never a shell) with added environment variables; succeeds on an accepted exit code within the
/// timeout. <see cref="Switches"/> marks the provider's switch: when it succeeds the component is on the target.
/// Secrets stay as <c>{{secret.NAME}}</c> placeholders until the call.
/// </summary>
public sealed record CommandStep(
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    string WorkingDirectory,
    TimeSpan Timeout,
    IReadOnlyList<int> AcceptExit,
    bool Switches = false,
    string? Label = null) : PlanStep, IRetriedStep
{
    public const string KindName = "command";

    [JsonIgnore]
    public override string Kind => KindName;

    [JsonIgnore]
    public override bool IsSwitch => Switches;

    public StepRetry? Retry { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> CallTemplates => Argv.Concat(Env.Values);

    public override string Describe() =>
        $"{(Label is null ? "" : Label + ": ")}{(Switches ? "switch by " : "")}argv [{StepText.Argv(Argv)}]{StepText.Env(Env)} in {WorkingDirectory} (timeout {Durations.Format(Timeout)}, accept exit {string.Join(", ", AcceptExit)}{StepRetry.Describe(Retry)})";
}

/// <summary>Retries of a failed step: how many, and the first delay (doubling, with jitter).</summary>
public sealed record StepRetry(int Retries, TimeSpan Backoff)
{
    public static StepRetry? Of(int retries, TimeSpan backoff) => retries > 0 ? new StepRetry(retries, backoff) : null;

    public static string Describe(StepRetry? retry) =>
        retry is null ? "" : $", {retry.Retries} {(retry.Retries == 1 ? "retry" : "retries")} from {Durations.Format(retry.Backoff)} doubling";
}

/// <summary>A step the executor tries again when it fails, as its plan says.</summary>
public interface IRetriedStep
{
    StepRetry? Retry { get; }
}

/// <summary>
/// One HTTP request; succeeds on an expected status (any 2xx when none is listed) within the timeout.
/// <see cref="Switches"/> marks the <c>http</c> provider's switch (a deploy API): when it succeeds the component is on the target.
/// </summary>
public sealed record HttpStep(
    string Method,
    string Url,
    IReadOnlyDictionary<string, string> Headers,
    string? Body,
    IReadOnlyList<int> ExpectStatus,
    TimeSpan Timeout,
    string? Label = null) : PlanStep, IRetriedStep
{
    public const string KindName = "http";

    [JsonIgnore]
    public override string Kind => KindName;

    public bool Switches { get; init; }

    [JsonIgnore]
    public override bool IsSwitch => Switches;

    public StepRetry? Retry { get; init; }

    [JsonIgnore]
    public override IEnumerable<string> CallTemplates => Body is null ? Headers.Values : Headers.Values.Append(Body);

    public override PlanStep WithoutUrlPasswords() => this with { Url = Redaction.Url(Url) };

    public override string Describe() =>
        $"{(Label is null ? "" : Label + ": ")}{(Switches ? "switch by " : "")}{Method} {Redaction.Url(Url)}"
        + (Headers.Count == 0 ? "" : " headers {" + string.Join(", ", Headers.Select(h => $"{h.Key}: {h.Value}")) + "}")
        + (Body is null ? "" : $" body {Body.Length} bytes")
        + $" expect {(ExpectStatus.Count == 0 ? "2xx" : string.Join("|", ExpectStatus))} (timeout {Durations.Format(Timeout)}{StepRetry.Describe(Retry)})";
}

/// <summary>
/// One call per member of a group, in batches, under a concurrency, rate and failure budget (see
/// <see cref="BatchStepConfig"/>). The member list is resolved when the step first runs and stored with each member's
/// result, so a resumed step calls only the members not finished and never one twice after it succeeded.
/// </summary>
public sealed record BatchStep(
    BatchMembers Members,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    string WorkingDirectory,
    int BatchSize,
    int Concurrency,
    TimeSpan Delay,
    int? CallsPerMinute,
    int Retries,
    TimeSpan Backoff,
    IReadOnlyList<string> QuotaErrors,
    double MaxFailed,
    TimeSpan CallTimeout,
    TimeSpan StepTimeout,
    IReadOnlyList<int> AcceptExit,
    string? Label = null) : PlanStep
{
    public const string KindName = "batch";

    [JsonIgnore]
    public override string Kind => KindName;

    /// <summary>Rolling every member back is moving the component to the target.</summary>
    [JsonIgnore]
    public override bool IsSwitch => true;

    [JsonIgnore]
    public override IEnumerable<string> CallTemplates => Argv.Concat(Env.Values).Concat(Members.Command ?? []);

    public override string Describe() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{(Label is null ? "" : Label + ": ")}batch over {Members.Describe()}: argv [{StepText.Argv(Argv)}]{StepText.Env(Env)} per member; "
            + $"{BatchSize} per batch, {Concurrency} at once{(Delay > TimeSpan.Zero ? $", {Durations.Format(Delay)} between batches" : "")}"
            + $"{(CallsPerMinute is { } rate ? $", at most {rate} calls/min" : "")}, {Retries} retries from {Durations.Format(Backoff)} doubling with jitter, "
            + $"quota errors back off ({string.Join(", ", QuotaErrors.Select(q => "\"" + q + "\""))}), fail above {MaxFailed * 100:0.##}% failed members "
            + $"(call timeout {Durations.Format(CallTimeout)}, step timeout {Durations.Format(StepTimeout)})");
}

/// <summary>Where a batch's members come from: a fixed list, a file, or the output of a command.</summary>
public sealed record BatchMembers(IReadOnlyList<string>? List, string? File, IReadOnlyList<string>? Command)
{
    public string Describe() =>
        List is { } list ? $"{list.Count} listed member(s)"
        : File is { } file ? $"the members listed in {file}"
        : $"the members printed by argv [{StepText.Argv(Command ?? [])}]";
}

/// <summary>How steps write argv and environments in records and dry runs.</summary>
internal static class StepText
{
    public static string Argv(IEnumerable<string> argv) => string.Join(", ", argv.Select(a => "\"" + a.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));

    public static string Env(IReadOnlyDictionary<string, string> env) =>
        env.Count == 0 ? "" : " env {" + string.Join(", ", env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")) + "}";
}

/// <summary>
/// Post-rollback validation: every non-shadow policy of the component is clean (waiting up to <see cref="Timeout"/> for
/// them to recover), then stays clean for <see cref="HoldFor"/>. A policy that fires again fails the step: the rollback
/// did not fix what hurt users.
/// </summary>
public sealed record PolicyHoldStep(string Component, TimeSpan HoldFor, TimeSpan Timeout) : PlanStep
{
    public const string KindName = "policies-hold";

    [JsonIgnore]
    public override string Kind => KindName;

    public override string Describe() =>
        $"verify: every policy of {Component} clean (recovering within {Durations.Format(Timeout)}), then clean for {Durations.Format(HoldFor)}";
}

/// <summary>Tells people what the plan is doing: a timeline entry on the incident, sent to the channels as <c>notice</c>.</summary>
public sealed record NotifyStep(string Message, string? Label = null) : PlanStep
{
    public const string KindName = "notify";

    [JsonIgnore]
    public override string Kind => KindName;

    public override string Describe() => $"{(Label is null ? "" : Label + ": ")}notify \"{Message}\"";
}

/// <summary>Steps run at the same time (commands, requests, cache flushes, notices, health waits); it succeeds when all of them did.</summary>
public sealed record ParallelStep(IReadOnlyList<PlanStep> Steps, string? Label = null) : PlanStep
{
    public const string KindName = "parallel";

    [JsonIgnore]
    public override string Kind => KindName;

    [JsonIgnore]
    public override IEnumerable<string> CallTemplates => Steps.SelectMany(s => s.CallTemplates);

    public override PlanStep WithoutUrlPasswords() => this with { Steps = [.. Steps.Select(s => s.WithoutUrlPasswords())] };

    public override string Describe() =>
        $"{(Label is null ? "" : Label + ": ")}in parallel: " + string.Join("; ", Steps.Select((s, i) => $"({i + 1}) {s.Describe()}"));
}
