namespace Rewind.Engine.Metrics;

/// <summary>
/// Every metric the controller exposes at <c>/metrics</c>. Counters and the histogram are incremented where things
/// happen; the gauges are read from the controller's state at each scrape (the server's metrics endpoint).
/// </summary>
internal sealed class ControllerMetrics
{
    private static readonly double[] LagBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] StepBounds = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

    public ControllerMetrics()
    {
        ProbeUp = Registry.Gauge("rewind_probe_up", "1 when the probe is passing, 0 when it has failed its failure-threshold in a row; absent before its first sample.", "component", "probe");
        ProbeSamples = Registry.Counter("rewind_probe_samples_total", "Probe runs by result (pass or fail).", "component", "probe", "result");
        ProbesNotMeasured = Registry.Counter("rewind_probes_not_measured_total", "Probe runs not measured because the controller itself was behind: late (could not start on time, skipped) or behind (timed out while its own timers were late). No sample, no policy moved.", "reason");
        foreach (var reason in Core.Signals.NotMeasuredReasons.All)
        {
            ProbesNotMeasured.Touch(Core.Signals.NotMeasuredReasons.Label(reason));
        }

        PolicyFiring = Registry.Gauge("rewind_policy_firing", "1 while the policy's condition holds, else 0.", "component", "policy");
        Decisions = Registry.Counter("rewind_decisions_total", "Times a policy fired, by its mode (auto, approve, notify, or shadow).", "component", "policy", "mode");
        Rollbacks = Registry.Counter("rewind_rollbacks_total", "Finished rollbacks by status (succeeded or failed).", "component", "status");
        StepDuration = Registry.Histogram("rewind_rollback_step_duration_seconds", "How long rollback steps took, by step kind.", StepBounds, "kind");
        OutboxDepth = Registry.Gauge("rewind_notification_outbox_depth", "Notification messages waiting to be delivered, by channel.", "channel");
        OutboxFailed = Registry.Gauge("rewind_notification_outbox_failed", "Notification messages given up on, by channel.", "channel");
        StoreUp = Registry.Gauge("rewind_store_up", "1 when the store answered the last ping, else 0.");
        StoreLatency = Registry.Gauge("rewind_store_latency_seconds", "Round trip of the last store ping; absent while the store does not answer.");
        Escalations = Registry.Counter("rewind_escalations_total", "Escalation levels reached, by component and level.", "component", "level");
        ProbeScheduleLag = Registry.Histogram("rewind_probe_schedule_lag_seconds", "How late probe runs (loop=probe) and the controller's own 250ms timer ticks (loop=timer) started after they were due.", LagBounds, "loop");
        StoreWriteDuration = Registry.Histogram("rewind_store_write_seconds", "How long writing a batch of probe samples to the store took (one transaction).", LagBounds);
        SamplesDropped = Registry.Counter("rewind_probe_samples_dropped_total", "Probe samples not written to the store because its write queue was full (the store fell behind); decisions had them.");
        SamplesUnstored = Registry.Counter("rewind_probe_samples_unstored_total", "Probe samples in batches the store refused (down, its disk full); kept in memory only.");
        MonitorOverloaded = Registry.Gauge("rewind_monitor_overloaded", "1 while the controller counts itself overloaded (timeouts it sees are not believed), else 0.");
        StoreWritable = Registry.Gauge("rewind_store_writable", "1 while the store takes the controller's writes (samples, traffic), 0 while it refuses them (its disk full, say).");
        ControllerFault = Registry.Gauge("rewind_controller_fault", "1 while the controller has this fault of its own (store-unreachable, store-not-writable, store-disk-nearly-full, executor-crash-loop, no-leader, controller-overloaded), else 0.", "kind");
        RollbacksHeld = Registry.Counter("rewind_rollbacks_held_total", "Automatic rollbacks held because the failure was inconclusive (the controller overloaded, or most components failing alike).", "component", "policy");
        Refused = Registry.Counter("rewind_requests_refused_total", "Requests refused, by reason: unauthenticated (401), forbidden (403) or rate_limited (429).", "reason");
        foreach (var reason in new[] { "unauthenticated", "forbidden", "rate_limited" })
        {
            Refused.Touch(reason);
        }

        IncidentsOpen = Registry.Gauge("rewind_incidents_open", "Open incidents by severity.", "severity");
        StepsFoundInPlace = Registry.Counter("rewind_rollback_steps_found_in_place_total", "Steps interrupted after they started (a stop, a crash, a takeover) whose effect was read back already in place, so they were not run again; by step kind.", "kind");
        Leader = Registry.Gauge("rewind_leader", "1 while this replica leads (decides, rolls back), else 0; labelled with its name.", "replica");
        LeaderEpoch = Registry.Gauge("rewind_leader_epoch", "The epoch of the leader lease as this replica last read it; it grows at every change of leader.");
        LeaseAge = Registry.Gauge("rewind_leader_lease_age_seconds", "How long ago the leader last renewed the lease, on the database's clock, as this replica last read it.");
        AgentConnected = Registry.Gauge("rewind_agent_connected", "1 while the host's agent polls (heard from within 20s), else 0; for every host the config names or whose agent has polled.", "host");
        AgentLastContact = Registry.Gauge("rewind_agent_last_contact_seconds", "How long ago the host's agent last polled; absent for a host whose agent never polled.", "host");
        Replicas = Registry.Gauge("rewind_replicas", "Controller processes of this store seen alive within the last three heartbeats.");
        WatchShareComponents = Registry.Gauge("rewind_watch_share_components", "Components this replica watches (probes) now: its share of them among the replicas holding a live share lease; all of them with SQLite.");
    }

    public MetricsRegistry Registry { get; } = new();

    public Gauge ProbeUp { get; }

    public Counter ProbeSamples { get; }

    public Counter ProbesNotMeasured { get; }

    public Gauge PolicyFiring { get; }

    public Counter Decisions { get; }

    public Counter Rollbacks { get; }

    public Histogram StepDuration { get; }

    public Gauge OutboxDepth { get; }

    public Gauge OutboxFailed { get; }

    public Gauge StoreUp { get; }

    public Gauge StoreWritable { get; }

    public Gauge ControllerFault { get; }

    public Gauge StoreLatency { get; }

    public Gauge IncidentsOpen { get; }

    public Counter Escalations { get; }

    public Histogram ProbeScheduleLag { get; }

    public Histogram StoreWriteDuration { get; }

    public Counter SamplesDropped { get; }

    public Counter SamplesUnstored { get; }

    public Gauge MonitorOverloaded { get; }

    public Counter RollbacksHeld { get; }

    public Counter Refused { get; }

    public Counter StepsFoundInPlace { get; }

    public Gauge Leader { get; }

    public Gauge LeaderEpoch { get; }

    public Gauge LeaseAge { get; }

    public Gauge Replicas { get; }

    public Gauge WatchShareComponents { get; }

    public Gauge AgentConnected { get; }

    public Gauge AgentLastContact { get; }
}
