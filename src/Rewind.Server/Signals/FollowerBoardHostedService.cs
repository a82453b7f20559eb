using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// A follower does not probe: every <see cref="Every"/> it copies the leader's newest stored samples of each probe onto
/// its own health board, so its health answers and dashboard show what the leader sees, a second late at most.
/// </summary>
internal sealed class FollowerBoardHostedService(IStore store, HealthBoard board, ConfigHolder config, Leadership leadership, TimeProvider time, ILogger<FollowerBoardHostedService> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly Dictionary<(string Component, string Probe), DateTimeOffset> _seen = [];
    private readonly StoreOutageLog _outage = new(time);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.Shared
            ? PeriodicLoop.RunAsync(Every, time, CopyAsync, Failed, stoppingToken)
            : Task.CompletedTask; // the one controller of a SQLite store probes itself

    private async Task CopyAsync(CancellationToken cancellationToken)
    {
        if (leadership.IsLeader)
        {
            _seen.Clear(); // the board is the leader's own now; after a step-down, start from the store again
            return;
        }

        foreach (var (component, settings) in config.Current.Components)
        {
            foreach (var (probe, probeConfig) in settings.Probes)
            {
                var recent = await store.GetRecentSamplesAsync(component, probe, Math.Max(probeConfig.FailureThreshold, 1), cancellationToken);
                Copy(component, probe, probeConfig.FailureThreshold, recent);
            }
        }
    }

    private void Copy(string component, string probe, int failureThreshold, IReadOnlyList<ProbeSample> recent)
    {
        var seen = _seen.GetValueOrDefault((component, probe), DateTimeOffset.MinValue);
        foreach (var sample in recent.Where(s => s.At > seen).OrderBy(s => s.At))
        {
            board.Update(sample, failureThreshold);
            seen = sample.At;
        }

        _seen[(component, probe)] = seen;
    }

    private void Failed(Exception error)
    {
        if (_outage.Filter(error) is { } shown)
        {
            LeadershipLog.FollowerBoardFailed(logger, shown, leadership.Replica);
        }
    }
}
