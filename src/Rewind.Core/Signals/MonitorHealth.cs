namespace Rewind.Core.Signals;

/// <summary>
/// The monitor watching itself. It is fed the timing of every probe run, every result and every store write, and
/// answers, for a failure about to cause an action, whether that failure can be believed
/// (<see cref="Judge(string, IReadOnlyCollection{string}, DateTimeOffset)"/>): a monitor that is late itself, or that
/// sees most components fail at once in the same way, is not evidence that one release is bad.
/// </summary>
/// <remarks>Pure and thread-safe: time comes in with each call; memory is bounded by the windows of <see cref="MonitorHealthOptions"/>.</remarks>
public sealed partial class MonitorHealth(MonitorHealthOptions? options = null)
{
    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, bool Late)> _runs = new();
    private readonly Queue<(DateTimeOffset At, TimeSpan Lag, TimeSpan Overrun)> _late = new();
    private readonly Queue<(DateTimeOffset At, TimeSpan Took)> _slowWrites = new();
    private readonly Dictionary<(string Component, string Probe), ProbeRun> _lastFailed = [];
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Component, ProbeErrorKind Kind), DateTimeOffset> _lastFailure = [];
    private TimeSpan _lastLag;

    public MonitorHealthOptions Options { get; } = options ?? new MonitorHealthOptions();

    /// <summary>The lag of the most recent run or timer tick, for the metrics.</summary>
    public TimeSpan LastLag
    {
        get
        {
            lock (_lock)
            {
                return _lastLag;
            }
        }
    }

    /// <summary>One probe run: its timing counts toward the controller's health, its result toward correlation.</summary>
    public void Record(ProbeRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_lock)
        {
            RecordTiming(run.Started, run.Lag > Options.LateAfter(run.Interval), run.Lag, run.Overrun > Options.LateAfter(run.Timeout) ? run.Overrun : TimeSpan.Zero);
            _seen[run.Component] = run.Started;
            if (!run.Success)
            {
                _lastFailed[(run.Component, run.Probe)] = run;
                _lastFailure[(run.Component, run.Kind)] = run.Started;
            }

            Prune(run.Started);
        }
    }

    /// <summary>One tick of a timer the controller keeps only to measure itself (no probe behind it).</summary>
    public void RecordTick(DateTimeOffset due, DateTimeOffset started, TimeSpan interval)
    {
        var lag = started > due ? started - due : TimeSpan.Zero;
        lock (_lock)
        {
            RecordTiming(started, lag > Options.LateAfter(interval), lag, TimeSpan.Zero);
            Prune(started);
        }
    }

    /// <summary>How long one write of a sample to the store took.</summary>
    public void RecordStoreWrite(DateTimeOffset at, TimeSpan took)
    {
        lock (_lock)
        {
            if (took > Options.SlowStoreWrite)
            {
                _slowWrites.Enqueue((at, took));
            }

            Prune(at);
        }
    }

    private void RecordTiming(DateTimeOffset at, bool lateStart, TimeSpan lag, TimeSpan overrun)
    {
        var late = lateStart || overrun > TimeSpan.Zero;
        _lastLag = lag;
        _runs.Enqueue((at, late));
        if (late)
        {
            _late.Enqueue((at, lateStart ? lag : TimeSpan.Zero, overrun));
        }
    }

    private DateTimeOffset _forgotAt = DateTimeOffset.MinValue;

    private void Prune(DateTimeOffset now)
    {
        var since = now - Options.Window;
        while (_runs.TryPeek(out var run) && run.At < since)
        {
            _runs.Dequeue();
        }

        while (_late.TryPeek(out var late) && late.At < since)
        {
            _late.Dequeue();
        }

        while (_slowWrites.TryPeek(out var write) && write.At < since)
        {
            _slowWrites.Dequeue();
        }

        PruneNotMeasured(since);

        // Forgetting components walks every one: once a second, not at every run (10,000 components at 1 s would make
        // that 100 million steps a second).
        if (now - _forgotAt < TimeSpan.FromSeconds(1) && now >= _forgotAt)
        {
            return;
        }

        _forgotAt = now;
        var forget = now - Options.ComponentMemory;
        foreach (var component in _seen.Where(s => s.Value < forget).Select(s => s.Key).ToList())
        {
            _seen.Remove(component);
            foreach (var key in _lastFailed.Keys.Where(k => string.Equals(k.Component, component, StringComparison.Ordinal)).ToList())
            {
                _lastFailed.Remove(key);
            }
        }

        foreach (var key in _lastFailure.Where(f => f.Value < forget).Select(f => f.Key).ToList())
        {
            _lastFailure.Remove(key);
        }
    }
}
