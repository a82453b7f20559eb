using Rewind.Client;

namespace Rewind.Bench.Hosts;

/// <summary>
/// One rollback of the twenty hosts, in seconds from its start: all twenty answering v1 (the figure), the rollback
/// reported finished or the script exited, the first and last restart to begin, the median host's restart-to-healthy
/// time, and the restarts each host saw (its count file's lines; more than one is a double action).
/// </summary>
internal sealed record CaseRun(
    string Case,
    int Run,
    double AllV1Seconds,
    double DoneSeconds,
    double FirstRestartSeconds,
    double LastRestartSeconds,
    double RestartToV1MedianSeconds,
    int HostsOnV1,
    IReadOnlyList<int> Restarts,
    int DoubleActions,
    string Status)
{
    /// <summary>Where Rewind's time went; null for the baselines.</summary>
    public RewindPhases? Phases { get; init; }

    /// <summary>Each host's restart and first v1 answer (and for Rewind, its ledger times), in seconds from the start.</summary>
    public IReadOnlyList<HostTrace> Hosts { get; init; } = [];

    public static CaseRun Of(string name, int run, DateTimeOffset t0, IReadOnlyList<HostTiming> hosts, DateTimeOffset done, int[] restarts, string status)
    {
        double S(DateTimeOffset at) => (at - t0).TotalSeconds;
        var healthy = hosts.Where(h => h.HealthyAt is not null).ToList();
        var restarted = hosts.Where(h => h.RestartedAt is not null).Select(h => S(h.RestartedAt!.Value)).DefaultIfEmpty(double.NaN).ToList();
        return new CaseRun(
            name,
            run,
            healthy.Count == hosts.Count ? healthy.Max(h => S(h.HealthyAt!.Value)) : double.NaN,
            S(done),
            restarted.Min(),
            restarted.Max(),
            healthy.Count == 0 ? double.NaN : Stats.Of([.. healthy.Select(h => (h.HealthyAt!.Value - h.RestartedAt!.Value).TotalSeconds)]).Median,
            healthy.Count,
            restarts,
            restarts.Sum(r => Math.Max(0, r - 1)),
            status)
        {
            Hosts = [.. hosts.Select(h => new HostTrace(h.Host, Offset(t0, h.RestartedAt), Offset(t0, h.HealthyAt), null, null))],
        };
    }

    /// <summary>The same run with each host's ledger times (Rewind's members: marked started, finished).</summary>
    public CaseRun WithMembers(DateTimeOffset t0, IReadOnlyList<MemberDto> members) => this with
    {
        Hosts = [.. Hosts.Select(h => members.FirstOrDefault(m => m.Member == h.Host) is { } m ? h with { MemberStarted = Offset(t0, m.StartedAt), MemberFinished = Offset(t0, m.FinishedAt) } : h)],
    };

    private static double? Offset(DateTimeOffset t0, DateTimeOffset? at) => at is { } value ? Math.Round((value - t0).TotalSeconds, 3) : null;

    /// <summary>A timed case counts only when every host answered v1 after exactly one restart: a wrong result is no result.</summary>
    public CaseRun Check()
    {
        (HostsOnV1 == Restarts.Count && Restarts.All(r => r == 1)).Check($"{Case} run {Run}: {HostsOnV1} of {Restarts.Count} hosts on v1, restarts per host [{string.Join(' ', Restarts)}]");
        return this;
    }
}

/// <summary>One host in one run, seconds from the start: its restart began, it answered v1, its member was marked started and finished.</summary>
internal sealed record HostTrace(string Host, double? Restart, double? HealthyV1, double? MemberStarted, double? MemberFinished);

/// <summary>
/// Rewind's rollback from the controller's record and the hosts' count files, in seconds: request to the fleet step's
/// start (planning, queue, executor), the step's length, the median host's hand-off (the controller marks it started
/// until its wrapper's restart line: attempt stored, agent woken from its long poll, switch) and slot (marked started
/// until its agent's report is read back), and the request until the rollback is reported finished (after wait-healthy).
/// </summary>
internal sealed record RewindPhases(double ToFleetStep, double FleetStep, double HandoffMedian, double SlotMedian, double AfterFleetStep)
{
    public static RewindPhases? Of(DateTimeOffset t0, RollbackDto rollback, IReadOnlyList<MemberDto> members, IReadOnlyList<HostTiming> hosts)
    {
        if (rollback.Steps is not [{ StartedAt: { } stepStart, FinishedAt: { } stepEnd }, ..] || rollback.FinishedAt is not { } finished)
        {
            return null;
        }

        var restartOf = hosts.Where(h => h.RestartedAt is not null).ToDictionary(h => h.Host, h => h.RestartedAt!.Value, StringComparer.Ordinal);
        var timed = members.Where(m => m.StartedAt is not null && m.FinishedAt is not null && restartOf.ContainsKey(m.Member)).ToList();
        return timed.Count == 0 ? null : new RewindPhases(
            (stepStart - t0).TotalSeconds,
            (stepEnd - stepStart).TotalSeconds,
            Stats.Of([.. timed.Select(m => (restartOf[m.Member] - m.StartedAt!.Value).TotalSeconds)]).Median,
            Stats.Of([.. timed.Select(m => (m.FinishedAt!.Value - m.StartedAt!.Value).TotalSeconds)]).Median,
            (finished - stepEnd).TotalSeconds);
    }

    public static RewindPhases? Median(IReadOnlyList<RewindPhases> runs) => runs.Count == 0 ? null : new(
        Stats.Of([.. runs.Select(r => r.ToFleetStep)]).Median,
        Stats.Of([.. runs.Select(r => r.FleetStep)]).Median,
        Stats.Of([.. runs.Select(r => r.HandoffMedian)]).Median,
        Stats.Of([.. runs.Select(r => r.SlotMedian)]).Median,
        Stats.Of([.. runs.Select(r => r.AfterFleetStep)]).Median);
}

/// <summary>The drill: the case, whose agent was killed and when, when the controller was, and how the rollback ended.</summary>
internal sealed record DrillRun(
    CaseRun Run,
    string Victim,
    double AgentKilledSeconds,
    double ControllerKilledSeconds,
    string Status,
    string? Error,
    string? FleetOutput,
    int FleetStepAttempts,
    IReadOnlyDictionary<string, string> Members,
    string? VictimOutput);
