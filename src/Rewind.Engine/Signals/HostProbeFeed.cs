using System.Collections.Concurrent;
using Rewind.Core.Storage;
using Rewind.Engine.Metrics;
using Rewind.Engine.Policies;

namespace Rewind.Engine.Signals;

/// <summary>
/// The leader's side of a probe run by a host's agent: at the probe's interval it reads the newest stored samples of the
/// probe (any replica may have taken them, see <see cref="HostSamples"/>) and hands those it has not seen yet, oldest
/// first, to the health board and the decision engine, as if it had run the probe itself. When none arrived for
/// <see cref="HostProbe.SilentAfter"/>, the probe is not measured: shown so, never counted as a failure of the
/// component (the agent's silence is paged by the agent liveness watch).
/// </summary>
internal sealed class HostProbeFeed(IStore store, HealthBoard board, DecisionEngine engine, ControllerMetrics metrics, TimeProvider time)
{
    /// <summary>The most samples read per look: more than a look at the probe's interval finds unless the agent sent a backlog.</summary>
    public const int ReadAtMost = 20;

    private readonly ConcurrentDictionary<(string Component, string Probe), FeedState> _states = new();

    /// <summary>Forgets what was fed: a replica that becomes leader again starts from the store.</summary>
    public void Reset() => _states.Clear();

    /// <summary>
    /// One look at the probe: feeds the samples that arrived since the last look and returns how many. At the first look
    /// only samples taken within <see cref="HostProbe.SilentAfter"/> count: an older backlog says nothing about now.
    /// </summary>
    public async Task<int> FeedAsync(HostProbe probe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var now = time.GetUtcNow();
        var state = _states.GetOrAdd((probe.Component, probe.Name), _ => new FeedState { Seen = now - probe.SilentAfter, ArrivedAt = now });
        var recent = await store.GetRecentSamplesAsync(probe.Component, probe.Name, Math.Max(probe.Config.FailureThreshold, ReadAtMost), cancellationToken);
        var fresh = recent.Where(s => s.At > state.Seen).OrderBy(s => s.At).ToList();
        foreach (var sample in fresh)
        {
            board.Update(sample, probe.Config.FailureThreshold);
            metrics.ProbeSamples.Inc(probe.Component, probe.Name, sample.Success ? "pass" : "fail");
            state.Seen = sample.At;
            state.ArrivedAt = now;
            await engine.ObserveAsync(sample, cancellationToken);
        }

        if (fresh.Count == 0 && now - state.ArrivedAt > probe.SilentAfter)
        {
            board.NotMeasured(probe.Component, probe.Name, state.ArrivedAt);
        }

        return fresh.Count;
    }

    private sealed class FeedState
    {
        /// <summary>When the newest sample fed was taken, on the host's clock.</summary>
        public DateTimeOffset Seen { get; set; }

        /// <summary>When the newest sample was found here, on the controller's clock (or when the feed started).</summary>
        public DateTimeOffset ArrivedAt { get; set; }
    }
}
