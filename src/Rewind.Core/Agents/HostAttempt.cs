using System.Globalization;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Agents;

/// <summary>Where a step run by an agent stands.</summary>
public enum HostAttemptStatus
{
    /// <summary>Waiting for the host's agent to take it.</summary>
    Pending,

    /// <summary>Handed to the agent, which runs it (or ran it and has not reported yet).</summary>
    Running,

    Succeeded,
    Failed,

    /// <summary>The agent stopped while the step ran and could not read back whether it took effect: a person must look.</summary>
    Unknown,

    /// <summary>No agent of the host took it, or reported it, within the plan's limit: kept apart from failed.</summary>
    Unreachable,
}

/// <summary>
/// One step run on a host by its agent: one per step of a rollback and host, so that the same step asked again (the
/// controller restarted, another replica took over) finds the same attempt, never a second one. <see cref="Id"/> is what
/// the agent reports against; a report repeated after a reconnect changes nothing. A job outside any rollback (a
/// scheduled backup of a cluster on the host, the copy of a files component's files at a release) is an attempt too:
/// its <see cref="RollbackId"/> names the job (<see cref="JobPrefix"/>), and <see cref="StepIndex"/> is 0.
/// </summary>
public sealed record HostAttempt(
    string Id,
    string RollbackId,
    int StepIndex,
    string Host,
    PlanStep Step,
    HostAttemptStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClaimedAt = null,
    string? ClaimedBy = null,
    DateTimeOffset? FinishedAt = null,
    string? Output = null,
    string? LateReport = null)
{
    /// <summary>What <see cref="RollbackId"/> starts with for a job that belongs to no rollback (a scheduled backup on the host, a release's files copy).</summary>
    public const string JobPrefix = "job.";

    /// <summary>How long a job's attempt not yet taken is handed out: one nobody waits for any more is not run late.</summary>
    public static readonly TimeSpan JobClaimable = TimeSpan.FromHours(1);

    public bool IsFinished => Status is not (HostAttemptStatus.Pending or HostAttemptStatus.Running);

    /// <summary>Whether the attempt is a job's, not a rollback's step.</summary>
    public bool IsJob => RollbackId.StartsWith(JobPrefix, StringComparison.Ordinal);

    /// <summary>The attempt's id: the rollback, the step's number (from 1) and the host, e.g. <c>RB-2026-12-06-0001.2.app-1</c>.</summary>
    public static string IdOf(string rollbackId, int stepIndex, string host) =>
        string.Create(CultureInfo.InvariantCulture, $"{rollbackId}.{stepIndex + 1}.{host}");

    /// <summary>
    /// As above, with 8 hex digits of the step's SHA-256 after it: the steps of a <c>parallel</c> group share their
    /// step's number, and two of them for one host must still be two attempts. The same planned step, read back from the
    /// store after a restart, gives the same id.
    /// </summary>
    public static string IdOf(string rollbackId, int stepIndex, string host, PlanStep step) =>
        $"{IdOf(rollbackId, stepIndex, host)}.{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PlanStepJson.Serialize(step))))[..8]}";
}

/// <summary>What an agent says about an attempt: how it ended and what it printed (secrets already removed on the host).</summary>
public sealed record HostAttemptReport(string AttemptId, HostAttemptStatus Status, string Output, DateTimeOffset At);
