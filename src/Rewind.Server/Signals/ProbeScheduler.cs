using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Runtime.Signals;

namespace Rewind.Server.Signals;

/// <summary>
/// Runs every probe on its interval from one dispatch loop. Each probe runs at a fixed phase within its interval
/// (<see cref="ProbePhases"/>), so runs are spread over time and keep their times across restarts and reloads (the first
/// run after a start or a reload comes within <see cref="FirstRunWithin"/>, spread over it the same way); at most
/// <see cref="ProbeScheduleConfig.MaxConcurrent"/> runs are in flight (a run holds its slot until its sample is
/// handled). A run that cannot start within <see cref="ProbeScheduleConfig.MaxLatenessFor"/> of its time is skipped, and
/// a run that timed out while the controller itself was behind is dropped: both are not measured
/// (<see cref="NotMeasuredReason"/>), never a failure of the probed service.
/// </summary>
/// <remarks>
/// "Behind" is the dispatch loop's own clock: its timer woke more than <see cref="BehindAfter"/> after it was due while
/// the run was in flight, or the run ended that much after its own timeout. Runs skipped because every slot is busy do
/// not make the loop "behind": a timeout among the runs holding those slots is a real one (targets that hang).
/// </remarks>
internal sealed class ProbeScheduler(IProbe probe, ProbeScheduleConfig settings, TimeProvider time, ProbeRunHandlers handlers)
{
    /// <summary>A timer of the loop waking this much after it was due means the controller itself is behind.</summary>
    public static readonly TimeSpan BehindAfter = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A run due sooner than this starts now. A timer cannot wait less than a millisecond: waiting for a run due in
    /// 0.3 ms would wake at once, again and again until it is due, and at 10,000 runs a second that spinning took a
    /// third of the controller's CPU.
    /// </summary>
    public static readonly TimeSpan Quantum = TimeSpan.FromMilliseconds(1);

    /// <summary>After a start or a reload every probe runs once within this (at its phase within it), then on its own interval.</summary>
    public static readonly TimeSpan FirstRunWithin = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private int _inFlight;
    private TaskCompletionSource _slotFreed = NewSignal();
    private long _behindUntilTicks = long.MinValue;

    /// <summary>Runs in flight now.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Runs <paramref name="probes"/> until <paramref name="stoppingToken"/> is cancelled; returns once every run in flight has ended.</summary>
    public async Task RunAsync(IReadOnlyCollection<ScheduledProbe> probes, CancellationToken stoppingToken = default)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var queue = new PriorityQueue<Entry, DateTimeOffset>();
        var now = time.GetUtcNow();
        foreach (var scheduled in probes)
        {
            // The first run within a second (spread over it), then on the probe's own grid: a start or a reload does not
            // leave a probe with a long interval unmeasured for that long.
            var soon = TimeSpan.FromTicks(Math.Min(scheduled.Config.Interval.Ticks, FirstRunWithin.Ticks));
            queue.Enqueue(new Entry(scheduled, First: soon < scheduled.Config.Interval), ProbePhases.FirstDue(now, scheduled.Component, scheduled.Name, soon));
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested && queue.TryPeek(out var next, out var due))
            {
                await DispatchAsync(queue, next, due, stoppingToken);
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopped, or the probes were replaced by a reload
        }
        finally
        {
            await DrainAsync();
        }
    }

    /// <summary>One step of the loop for the probe due first: wait for its time, skip it, start it, or wait for a slot.</summary>
    private async Task DispatchAsync(PriorityQueue<Entry, DateTimeOffset> queue, Entry entry, DateTimeOffset due, CancellationToken stoppingToken)
    {
        var next = entry.Probe;
        var now = time.GetUtcNow();
        if (due - now >= Quantum)
        {
            await Task.Delay(due - now, time, stoppingToken);
            NoteLoopLag(due, time.GetUtcNow());
            return;
        }

        var interval = next.Config.Interval;
        var allowed = settings.MaxLatenessFor(interval);
        if (now - due > allowed)
        {
            // Every tick already later than allowed is skipped at once: one entry for however many were missed.
            var missed = entry.First ? 1 : (int)Math.Min(int.MaxValue, ((now - allowed - due).Ticks / interval.Ticks) + 1);
            queue.DequeueEnqueue(entry.First ? entry with { First = false } : entry, entry.First ? OnGridAfter(next, due) : due + (interval * missed));
            handlers.NotMeasured(new NotMeasuredRun(next, due, now, NotMeasuredReason.Late, missed));
            return;
        }

        Task freed;
        lock (_gate)
        {
            if (_inFlight < settings.MaxConcurrent)
            {
                _inFlight++;
                queue.DequeueEnqueue(entry.First ? entry with { First = false } : entry, entry.First ? OnGridAfter(next, due) : due + interval);
                _ = RunOneAsync(next, due, stoppingToken);
                return;
            }

            freed = _slotFreed.Task;
        }

        // Every slot busy: wait for one, or until this run is too late to start (then it is skipped above).
        var deadline = due + allowed + TimeSpan.FromTicks(1);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = Task.Delay(deadline - now, time, wait.Token);
        await Task.WhenAny(freed, timer);
        await wait.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
        if (timer.IsCompletedSuccessfully)
        {
            NoteLoopLag(deadline, time.GetUtcNow());
        }
    }

    private async Task RunOneAsync(ScheduledProbe scheduled, DateTimeOffset due, CancellationToken stoppingToken)
    {
        await Task.Yield(); // the probe's own work never holds up the dispatch loop
        try
        {
            var started = time.GetUtcNow();
            var sample = await probe.RunAsync(scheduled.Component, scheduled.Name, scheduled.Config, stoppingToken);
            if (TimedOutWhileBehind(scheduled, sample, started))
            {
                handlers.NotMeasured(new NotMeasuredRun(scheduled, due, time.GetUtcNow(), NotMeasuredReason.Behind));
            }
            else
            {
                await handlers.Measured(new MeasuredRun(scheduled, sample, due), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: the run's result is not needed
        }
        catch (Exception ex)
        {
            handlers.Failed(scheduled, ex);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>A timeout (or a too slow answer) the controller's own lateness can explain: its loop was behind during the run, or the run ended well after its timeout.</summary>
    private bool TimedOutWhileBehind(ScheduledProbe scheduled, ProbeSample sample, DateTimeOffset started)
    {
        if (sample.Success || ProbeErrors.Classify(sample.Error) is not (ProbeErrorKind.Timeout or ProbeErrorKind.Slow))
        {
            return false;
        }

        return Interlocked.Read(ref _behindUntilTicks) >= started.UtcTicks
            || TimeSpan.FromMilliseconds(sample.LatencyMs) > scheduled.Config.Timeout + BehindAfter;
    }

    private void NoteLoopLag(DateTimeOffset due, DateTimeOffset woke)
    {
        if (woke - due > BehindAfter)
        {
            Interlocked.Exchange(ref _behindUntilTicks, woke.UtcTicks);
        }
    }

    private void Release()
    {
        TaskCompletionSource freed;
        lock (_gate)
        {
            _inFlight--;
            freed = _slotFreed;
            _slotFreed = NewSignal();
        }

        freed.TrySetResult();
    }

    /// <summary>Waits for every run in flight to end (each sees the stop through its token).</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            Task freed;
            lock (_gate)
            {
                if (_inFlight == 0)
                {
                    return;
                }

                freed = _slotFreed.Task;
            }

            await freed;
        }
    }

    /// <summary>The first tick of the probe's own grid after <paramref name="due"/>.</summary>
    private static DateTimeOffset OnGridAfter(ScheduledProbe probe, DateTimeOffset due) =>
        ProbePhases.FirstDue(due + TimeSpan.FromTicks(1), probe.Component, probe.Name, probe.Config.Interval);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A probe in the queue; <paramref name="First"/> while its first run is not yet on its own grid.</summary>
    private sealed record Entry(ScheduledProbe Probe, bool First);
}
