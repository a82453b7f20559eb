using Rewind.Core.Agents;
using Rewind.Core.Runbooks;

namespace Rewind.Engine.Agents;

/// <summary>
/// Jobs a host's agent runs outside any rollback: the scheduled backups of a cluster on that host. Each is one attempt
/// named by the job (<see cref="HostAttempt.JobPrefix"/> and a key the caller makes unique, such as the component, the
/// kind and when it fell due), so the same job asked again (the controller restarted, another replica leads) is the
/// same attempt, never a second run on the host.
/// </summary>
internal sealed class HostJobs(HostAttempts attempts)
{
    /// <summary>Runs <paramref name="step"/> on <paramref name="host"/> as the job <paramref name="key"/>; its outcome in one line.</summary>
    public async Task<(bool Succeeded, string Summary)> RunAsync(string host, string key, PlanStep step, TimeSpan unreachableWait, CancellationToken cancellationToken)
    {
        var owner = HostAttempt.JobPrefix + key;
        var attempt = await attempts.RunAsync(HostAttempt.IdOf(owner, 0, host, step), owner, 0, host, step, unreachableWait, cancellationToken);
        var outcome = HostAttempts.Outcome(attempt);
        return (outcome.Succeeded, outcome.Output);
    }
}
