using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Leadership;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Engine.Shares;
using Rewind.Engine.Signals;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// With several replicas each probes its own share of the components: every <see cref="Every"/> this loop reads the
/// samples the others wrote since the last tick (one query: <see cref="SampleTail"/>) onto this replica's health board,
/// so that every replica's health answers and dashboard show every component; on the leader it also hands them to the
/// decision engine, fenced by its term. A sample another replica could not write (the store down) never reaches the
/// leader. With SQLite the one controller probes everything itself: nothing to read.
/// </summary>
internal sealed class SharedSamplesHostedService(IStore store, HealthBoard board, DecisionEngine engine, ConfigHolder config, Leadership leadership, TimeProvider time, ILogger<SharedSamplesHostedService> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    private readonly SampleTail _tail = new(store, time);
    private readonly StoreOutageLog _outage = new(time);
    private long _givenUp;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.Shared
            ? PeriodicLoop.RunAsync(Every, time, ReadAsync, Failed, stoppingToken)
            : Task.CompletedTask;

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SequencedSample> read;
        do
        {
            read = await _tail.NextAsync(cancellationToken);
            var term = leadership.Term;
            foreach (var sample in read.Select(s => s.Sample).Where(s => s.Replica != leadership.Replica))
            {
                if (config.Current.Components.TryGetValue(sample.Component, out var component) && component.Probes.TryGetValue(sample.Probe, out var probe))
                {
                    board.Update(sample, probe.FailureThreshold);
                    if (term is not null)
                    {
                        await DecideAsync(term, sample, cancellationToken);
                    }
                }
            }
        }
        while (read.Count == SampleTail.Batch);

        if (_tail.GivenUp > _givenUp)
        {
            ShareLog.TailGaveUp(logger, leadership.Replica, (int)(_tail.GivenUp - _givenUp), Core.Configuration.Durations.Format(SampleTail.Grace));
            _givenUp = _tail.GivenUp;
        }
    }

    /// <summary>Fenced by <paramref name="term"/>: the write fence refuses what it decides once the term is over.</summary>
    private async Task DecideAsync(LeaderTerm term, ProbeSample sample, CancellationToken cancellationToken)
    {
        WriteFence.Enter(term);
        using var acting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, term.Ended);
        try
        {
            await engine.ObserveAsync(sample, acting.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (!acting.IsCancellationRequested && _outage.Filter(ex) is { } shown)
            {
                ServerLog.DecisionFailed(logger, shown, sample.Component);
            }
        }
    }

    private void Failed(Exception error)
    {
        if (_outage.Filter(error) is { } shown)
        {
            ShareLog.TailFailed(logger, shown, leadership.Replica);
        }
    }
}
