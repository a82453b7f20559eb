namespace Rewind.Bench.Deploys;

/// <summary>What the pipeline did for one deploy and when: the ground truth the controllers are judged against.</summary>
internal sealed class DeployRecord(PlannedDeploy planned)
{
    public PlannedDeploy Planned { get; } = planned;

    /// <summary>When the pipeline began the restart (the old release stops serving).</summary>
    public DateTimeOffset RestartAt { get; set; }

    /// <summary>The new release's first answer: the earlier of the first the traffic got and the first to a <c>/health</c> poll.</summary>
    public DateTimeOffset? UpAt { get; set; }

    /// <summary>When <c>/health</c> first answered ok from the new release (never for a release that is down).</summary>
    public DateTimeOffset? HealthyAt { get; set; }

    /// <summary>When the pipeline recorded the deploy done; null when it never did.</summary>
    public DateTimeOffset? RecordedAt { get; set; }

    /// <summary>When the pipeline stopped watching this deploy and moved on.</summary>
    public DateTimeOffset EndAt { get; set; }

    /// <summary>The answers the pipeline got from each API call, in order (e.g. "rewind record --deploying: ok", "rewind record: 409 ...").</summary>
    public List<string> Outcomes { get; } = [];

    /// <summary>The end of the restart gap: the new release answers ok, or (down) answers at all after its start-up delay.</summary>
    public DateTimeOffset GapEnd =>
        HealthyAt ?? (UpAt is { } up ? up + TimeSpan.FromMilliseconds(Planned.StartupDelayMs) : EndAt);
}
