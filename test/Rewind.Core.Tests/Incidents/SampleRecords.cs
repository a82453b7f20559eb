using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;

namespace Rewind.Core.Tests.Incidents;

/// <summary>Incident records written by hand in virtual time, the way the controller would have stored them.</summary>
internal static class SampleRecords
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 11, 24, 10, TimeSpan.Zero);

    /// <summary>
    /// web v2 deployed at T0; health-down fires 1.350 s later; the rollback is requested 50 ms after that, switches
    /// 75 ms after the request and succeeds 1.750 s after the incident opened. alice acknowledges and leaves a note
    /// with characters that must not break the report; bob adds a note after resolution.
    /// </summary>
    public static IncidentRecord AutomaticRollback()
    {
        var time = new FakeTimeProvider(T0);
        var release = new Release("web", "v2", ReleaseState.RolledBack, time.GetUtcNow(), "e4f5a6b", null, "deploy-bot", null, "INC-2026-11-22-0001");
        var timeline = new List<TimelineEvent>();
        void At(int ms, string kind, string message, string actor)
        {
            time.Advance(T0.AddMilliseconds(ms) - time.GetUtcNow());
            timeline.Add(new TimelineEvent("INC-2026-11-22-0001", time.GetUtcNow(), kind, message, actor));
        }

        At(1350, TimelineKinds.Opened, "web: policy health-down fired on release v2", "policy:health-down");
        At(1350, TimelineKinds.Evidence, "policy health-down: probe health failing for 1.2s (3 consecutive failures); last error: status 503, expected 200", "policy:health-down");
        At(1400, TimelineKinds.Decision, "rollback RB-2026-11-22-0001 requested by policy:health-down: v2 -> v1 (last known good); reason: policy health-down", "policy:health-down");
        At(1475, TimelineKinds.Step, "RB-2026-11-22-0001 step 1/3 switch succeeded: switched current from v2 to v1", "executor");
        At(1980, TimelineKinds.Step, "RB-2026-11-22-0001 step 2/3 restart succeeded: exit 0 in 498ms", "executor");
        At(2000, TimelineKinds.Acknowledged, "acknowledged by alice", "alice");
        At(2500, TimelineKinds.Note, "checkout | payments failing\n<script>alert(1)</script> see [this](javascript:alert(1)) *now*", "alice");
        At(3090, TimelineKinds.Step, "RB-2026-11-22-0001 step 3/3 wait-healthy succeeded: web healthy after 1.1s: health passed 3/3", "executor");
        At(3100, TimelineKinds.Resolved, "web is healthy on v1 after RB-2026-11-22-0001; incident resolved", "executor");
        At(600_000, TimelineKinds.Note, "root cause: a missing migration in v2", "bob");

        var rollback = new Rollback(
            "RB-2026-11-22-0001", "web", "INC-2026-11-22-0001", "v2", "v1", RollbackStatus.Succeeded, "policy health-down: probe health failing", "policy:health-down", T0.AddMilliseconds(1400),
            [
                new RollbackStep(0, new SwitchStep("/srv/web", "v1", "v2"), StepStatus.Succeeded, 1, T0.AddMilliseconds(1460), T0.AddMilliseconds(1475), "switched current from v2 to v1"),
                new RollbackStep(1, new RestartStep(["systemctl", "restart", "web"], "/srv/web", TimeSpan.FromMinutes(1)), StepStatus.Succeeded, 1, T0.AddMilliseconds(1480), T0.AddMilliseconds(1980), "exit 0 in 498ms"),
                new RollbackStep(2, new WaitHealthyStep("web", ["health"], 3, TimeSpan.FromMinutes(2)), StepStatus.Succeeded, 1, T0.AddMilliseconds(1990), T0.AddMilliseconds(3090), "web healthy after 1.1s:\nhealth passed 3/3"),
            ],
            T0.AddMilliseconds(1450),
            T0.AddMilliseconds(3100));
        var incident = new Incident(
            "INC-2026-11-22-0001", "web", Severity.P1, IncidentStatus.Resolved, "web: policy health-down fired on release v2", "health-down", T0.AddMilliseconds(1350),
            T0.AddMilliseconds(3100), "v2", T0.AddMilliseconds(2000), "alice");
        return new IncidentRecord(incident, timeline, [rollback], release);
    }

    /// <summary>An incident a person opened and resolved, with no rollback and no release: nothing but recovery is measurable.</summary>
    public static IncidentRecord Manual(string component, DateTimeOffset opened, TimeSpan? resolvedAfter, bool falsePositive = false)
    {
        var incident = new Incident(
            $"INC-{opened:yyyy-MM-dd}-9{opened:HHmm}", component, Severity.P3, resolvedAfter is null ? IncidentStatus.Investigating : IncidentStatus.Resolved, "looked wrong", null, opened,
            opened + resolvedAfter, null, null, null, falsePositive);
        return new IncidentRecord(incident, [new TimelineEvent(incident.Id, opened, TimelineKinds.Opened, "looked wrong", "alice")], [], null);
    }

    /// <summary>A policy incident on <paramref name="component"/>: deployed, detected, rolled back with the given outcome.</summary>
    public static IncidentRecord RolledBack(string component, DateTimeOffset deployed, TimeSpan detect, TimeSpan decide, TimeSpan toSwitch, TimeSpan toFinish, bool succeeded)
    {
        var opened = deployed + detect;
        var requested = opened + decide;
        var finished = requested + toFinish;
        var id = $"INC-{opened:yyyy-MM-dd}-{opened:HHmm}";
        var rollback = new Rollback(
            "RB-" + id[4..], component, id, "v2", "v1", succeeded ? RollbackStatus.Succeeded : RollbackStatus.Failed, "policy", "policy:down", requested,
            [
                new RollbackStep(0, new SwitchStep("/srv/" + component, "v1", "v2"), StepStatus.Succeeded, 1, requested, requested + toSwitch, "switched"),
                new RollbackStep(1, new WaitHealthyStep(component, ["health"], 3, TimeSpan.FromMinutes(1)), succeeded ? StepStatus.Succeeded : StepStatus.Failed, 1, requested + toSwitch, finished, "done"),
            ],
            requested,
            finished);
        var incident = new Incident(
            id, component, Severity.P1, succeeded ? IncidentStatus.Resolved : IncidentStatus.Mitigating, "down", "down", opened, succeeded ? finished : null, "v2");
        var release = new Release(component, "v2", ReleaseState.Bad, deployed);
        return new IncidentRecord(incident, [new TimelineEvent(id, opened, TimelineKinds.Opened, "down", "policy:down")], [rollback], release);
    }
}
