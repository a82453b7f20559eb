using Rewind.Client;

namespace Rewind.Bench.Deploys;

/// <summary>What served a component at a moment: a restart gap (deploy or rollback), or a release and what it is.</summary>
internal sealed record Serving(string? Version, ReleaseKind? Kind)
{
    public bool IsGap => Version is null;

    public bool IsBad => Kind is { } kind && kind != ReleaseKind.Healthy;

    public override string ToString() => Version is null ? "a restart gap" : $"{Version} ({Kind?.ToString().ToLowerInvariant()})";
}

/// <summary>
/// A component's serving history, rebuilt from what the pipeline did (restarts, first answers) and the rollbacks the
/// controller ran (the gap from their start to their end, then the release they put back).
/// </summary>
internal sealed class GroundTruth
{
    private readonly List<(DateTimeOffset At, Serving Serving)> _changes = [];
    private readonly Dictionary<string, ReleaseKind> _kinds = new(StringComparer.Ordinal) { [DeployPlan.FirstVersion] = ReleaseKind.Healthy };

    public GroundTruth(IEnumerable<DeployRecord> deploys, IEnumerable<RollbackDto> rollbacks)
    {
        _changes.Add((DateTimeOffset.MinValue, new Serving(DeployPlan.FirstVersion, ReleaseKind.Healthy)));
        foreach (var deploy in deploys)
        {
            _kinds[deploy.Planned.Version] = deploy.Planned.Kind;
            _changes.Add((deploy.RestartAt, new Serving(null, null)));
            _changes.Add((deploy.GapEnd, new Serving(deploy.Planned.Version, deploy.Planned.Kind)));
        }

        foreach (var rollback in rollbacks.Where(r => r.StartedAt is not null && r.FinishedAt is not null))
        {
            _changes.Add((rollback.StartedAt!.Value, new Serving(null, null)));
            var back = rollback.Status == "succeeded" ? rollback.ToVersion : rollback.FromVersion;
            _changes.Add((rollback.FinishedAt!.Value, new Serving(back, back is null ? null : KindOf(back))));
        }

        _changes.Sort((a, b) => a.At.CompareTo(b.At));
    }

    public ReleaseKind? KindOf(string version) => _kinds.TryGetValue(version, out var kind) ? kind : null;

    public Serving At(DateTimeOffset at) => _changes.Last(c => c.At <= at).Serving;
}
