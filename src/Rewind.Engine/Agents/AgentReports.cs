using Rewind.Core.Agents;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;

namespace Rewind.Engine.Agents;

/// <summary>
/// An agent's report of an attempt, taken at any replica: only the host's own agent may report it; the first report
/// finishes it and wakes the step waiting here; a repeat changes nothing; a report that comes after the step was given
/// up as unreachable is kept beside the record and said on the incident's timeline, since the host did act.
/// </summary>
internal sealed class AgentReports(IStore store, AgentWork work, TimeProvider time)
{
    /// <summary>Longest output kept from one report; the rest is cut, saying so.</summary>
    public const int MaxOutput = 8000;

    public async Task<Outcome<AgentReportResult>> ReportAsync(string host, string attemptId, HostAttemptStatus status, string output, CancellationToken cancellationToken = default)
    {
        if (status is not (HostAttemptStatus.Succeeded or HostAttemptStatus.Failed or HostAttemptStatus.Unknown))
        {
            return Refusal.Invalid("invalid report", "status: succeeded, failed or unknown");
        }

        if (await store.GetHostAttemptAsync(attemptId, cancellationToken) is not { } attempt)
        {
            return Refusal.NotFound("no such attempt", $"no attempt {attemptId}");
        }

        if (!string.Equals(attempt.Host, host, StringComparison.Ordinal))
        {
            return Refusal.Forbidden("not this agent's step", $"attempt {attemptId} is for {attempt.Host}; this agent's token is for {host}");
        }

        var text = output.Length > MaxOutput ? output[..MaxOutput] + $" … ({output.Length - MaxOutput} more characters cut)" : output;
        var accepted = await store.ReportHostAttemptAsync(new HostAttemptReport(attemptId, status, text, time.GetUtcNow()), cancellationToken);
        var stored = await store.GetHostAttemptAsync(attemptId, cancellationToken) ?? attempt;
        if (accepted)
        {
            work.Reported(attemptId);
        }
        else if (attempt.Status == HostAttemptStatus.Unreachable && stored.LateReport != attempt.LateReport)
        {
            await LateAsync(stored, status, text, cancellationToken);
        }

        return Outcome<AgentReportResult>.Done(new AgentReportResult(stored, accepted));
    }

    private async Task LateAsync(HostAttempt attempt, HostAttemptStatus status, string output, CancellationToken cancellationToken)
    {
        if ((await store.GetRollbackAsync(attempt.RollbackId, cancellationToken))?.IncidentId is not { } incident)
        {
            return;
        }

        var message = $"{attempt.RollbackId} step {attempt.StepIndex + 1}: {attempt.Host}'s agent reported after the step was given up as unreachable: {status.ToString().ToLowerInvariant()}: {output}; "
            + "the record keeps the step as unreachable, and what the host did is as this report says";
        await store.AppendTimelineAsync(new TimelineEvent(incident, time.GetUtcNow(), TimelineKinds.Escalation, message, $"agent:{attempt.Host}"), cancellationToken);
    }
}

/// <summary>The attempt as stored after a report, and whether this report finished it.</summary>
internal sealed record AgentReportResult(HostAttempt Attempt, bool Accepted);
