using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Runtime.Signals;
using Rewind.Server.Signals;

namespace Rewind.Server.Tests.Signals;

/// <summary>The probe scheduler in virtual time: phases, the cap on runs in flight, and runs that are not measured.</summary>
public sealed class ProbeSchedulerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Phases_TenThousandProbesAtOneSecond_SpreadEvenlyOverTheInterval_AndStayTheSame()
    {
        var phases = Enumerable.Range(0, 10_000).Select(i => ProbePhases.Of($"c{i:00000}", "health", Second)).ToList();

        var perTenth = phases.GroupBy(p => (int)(p.TotalMilliseconds / 100)).ToDictionary(g => g.Key, g => g.Count());
        perTenth.Keys.Order().ShouldBe(Enumerable.Range(0, 10));
        perTenth.Values.ShouldAllBe(n => n > 850 && n < 1150, string.Join(", ", perTenth.OrderBy(p => p.Key).Select(p => p.Value)));
        phases.Distinct().Count().ShouldBeGreaterThan(9_900);
        ProbePhases.Of("c00042", "health", Second).ShouldBe(phases[42]); // a restart or a reload keeps the phase
        ProbePhases.Of("c00042", "ready", Second).ShouldNotBe(phases[42]);
    }

    [Fact]
    public void FirstDue_IsTheNextTickOfThePhaseGrid()
    {
        var interval = TimeSpan.FromSeconds(5);
        var phase = ProbePhases.Of("web", "health", interval);
        var now = T0.AddMilliseconds(1234);

        var due = ProbePhases.FirstDue(now, "web", "health", interval);

        due.ShouldBeGreaterThanOrEqualTo(now);
        due.ShouldBeLessThan(now + interval);
        ((due.UtcTicks - phase.Ticks) % interval.Ticks).ShouldBe(0);
        ProbePhases.FirstDue(due, "web", "health", interval).ShouldBe(due);
    }

    [Fact]
    public async Task Run_ProbesOnTime_EachRunsAtItsPhase_OncePerInterval()
    {
        var time = new FakeTimeProvider(T0);
        var probes = Probes(20, Second);
        var probe = new FakeProbe(time);
        var measured = new ConcurrentQueue<MeasuredRun>();
        var scheduler = new ProbeScheduler(probe, new ProbeScheduleConfig(), time, Handlers(measured, new ConcurrentQueue<NotMeasuredRun>()));
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => scheduler.RunAsync(probes, stop.Token));

        var dues = Dues(probes, T0, T0 + (2 * Second));
        for (var i = 0; i < dues.Count; i++)
        {
            To(time, dues[i].Due);
            await UntilAsync(() => measured.Count > i, $"run {i + 1}");
        }

        await stop.CancelAsync();
        await running;
        measured.Select(m => (m.Probe.Component, m.Due, m.Sample.At)).ShouldBe(dues.Select(d => (d.Probe.Component, d.Due, d.Due)));
        dues.Count.ShouldBe(40); // each of the 20 probes twice in two seconds
    }

    [Fact]
    public async Task Run_ALongInterval_FirstRunWithinASecond_ThenOnItsGrid()
    {
        var time = new FakeTimeProvider(T0);
        var probes = Probes(1, TimeSpan.FromSeconds(30));
        var probe = new FakeProbe(time);
        var measured = new ConcurrentQueue<MeasuredRun>();
        var scheduler = new ProbeScheduler(probe, new ProbeScheduleConfig(), time, Handlers(measured, new ConcurrentQueue<NotMeasuredRun>()));
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => scheduler.RunAsync(probes, stop.Token));
        var dues = Dues(probes, T0, T0.AddSeconds(61));

        for (var i = 0; i < dues.Count; i++)
        {
            To(time, dues[i].Due);
            await UntilAsync(() => measured.Count > i, $"run {i + 1}");
        }

        await stop.CancelAsync();
        await running;
        dues[0].Due.ShouldBeLessThan(T0 + Second);
        var phase = ProbePhases.Of("c00", "health", TimeSpan.FromSeconds(30));
        dues.Skip(1).ShouldAllBe(d => (d.Due.UtcTicks - phase.Ticks) % TimeSpan.FromSeconds(30).Ticks == 0);
        measured.Select(m => m.Due).ShouldBe(dues.Select(d => d.Due));
    }

    [Fact]
    public async Task Run_MoreDueThanTheCap_AtMostCapInFlight_TheNextStartsWhenASlotFrees_ALateOneIsSkippedWithoutASample()
    {
        var time = new FakeTimeProvider(T0);
        var probes = Probes(6, TimeSpan.FromSeconds(10)); // allowed lateness: 1s
        var probe = new FakeProbe(time) { Blocking = true };
        var measured = new ConcurrentQueue<MeasuredRun>();
        var notMeasured = new ConcurrentQueue<NotMeasuredRun>();
        var scheduler = new ProbeScheduler(probe, new ProbeScheduleConfig { MaxConcurrent = 2 }, time, Handlers(measured, notMeasured));
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => scheduler.RunAsync(probes, stop.Token));
        var dues = Dues(probes, T0, T0.AddSeconds(10));

        for (var i = 0; i < 3; i++) // three due; two slots
        {
            To(time, dues[i].Due);
            await UntilAsync(() => probe.Started.Count >= Math.Min(i + 1, 2), $"run {i + 1} dispatched");
        }

        scheduler.InFlight.ShouldBe(2);

        probe.Release(dues[0].Probe.Component);
        await UntilAsync(() => probe.Started.Count == 3, "the third run started once a slot freed");
        probe.Started.Select(s => s.Component).ShouldBe(dues.Take(3).Select(d => d.Probe.Component));
        probe.Started[2].At.ShouldBe(dues[2].Due); // no time passed: it started on time
        scheduler.InFlight.ShouldBe(2);

        // The slots stay busy past the fourth probe's allowed lateness: it is skipped, never run.
        var skipped = dues[3];
        To(time, skipped.Due);
        time.Advance(TimeSpan.FromMilliseconds(1001));
        await UntilAsync(() => notMeasured.Any(n => n.Probe == skipped.Probe), "the fourth run skipped");

        var run = notMeasured.Single(n => n.Probe == skipped.Probe);
        (run.Reason, run.Due, run.Count).ShouldBe((NotMeasuredReason.Late, skipped.Due, 1));
        probe.Started.ShouldNotContain(s => s.Component == skipped.Probe.Component);
        measured.ShouldNotContain(m => m.Probe == skipped.Probe);
        await stop.CancelAsync();
        await running;
        probe.MostInFlight.ShouldBe(2);
    }

    [Fact]
    public async Task Run_ControllerBehindForSeveralIntervals_EveryMissedRunIsCountedOnce_AndTheProbeRunsAgainOnItsGrid()
    {
        var time = new FakeTimeProvider(T0);
        var probes = Probes(1, Second);
        var probe = new FakeProbe(time);
        var measured = new ConcurrentQueue<MeasuredRun>();
        var notMeasured = new ConcurrentQueue<NotMeasuredRun>();
        var scheduler = new ProbeScheduler(probe, new ProbeScheduleConfig(), time, Handlers(measured, notMeasured));
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => scheduler.RunAsync(probes, stop.Token));
        var first = Dues(probes, T0, T0 + Second)[0].Due;

        To(time, first);
        await UntilAsync(() => measured.Count == 1, "the first run");
        time.Advance(TimeSpan.FromMilliseconds(3700)); // the controller starved: ticks at +1s, +2s, +3s are 2.7s, 1.7s, 0.7s late
        await UntilAsync(() => !notMeasured.IsEmpty, "the missed runs");
        To(time, first.AddSeconds(4));
        await UntilAsync(() => measured.Count == 2, "the next run on the grid");
        await stop.CancelAsync();
        await running;

        notMeasured.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            n => n.Count.ShouldBe(3), // 0.7s late is more than the 500ms allowed at 1s
            n => n.Reason.ShouldBe(NotMeasuredReason.Late));
        measured.Last().Due.ShouldBe(first.AddSeconds(4));
    }

    [Theory]
    [InlineData(false, false)] // the controller on time: a timeout is the service's
    [InlineData(true, true)] // its loop woke seconds late during the run: the timeout says nothing
    public async Task Run_ATimeout_IsMeasuredUnlessTheControllerWasBehindDuringTheRun(bool behind, bool notMeasuredExpected)
    {
        var time = new FakeTimeProvider(T0);
        var probes = Probes(2, TimeSpan.FromSeconds(30));
        var probe = new FakeProbe(time) { Blocking = true, Error = "timeout after 800ms", LatencyMs = 800 };
        var measured = new ConcurrentQueue<MeasuredRun>();
        var notMeasured = new ConcurrentQueue<NotMeasuredRun>();
        var scheduler = new ProbeScheduler(probe, new ProbeScheduleConfig(), time, Handlers(measured, notMeasured));
        using var stop = new CancellationTokenSource();
        var running = Task.Run(() => scheduler.RunAsync(probes, stop.Token));
        var dues = Dues(probes, T0, T0.AddSeconds(30));

        To(time, dues[0].Due);
        await UntilAsync(() => probe.Started.Count == 1, "the first run");
        if (behind)
        {
            To(time, dues[1].Due + TimeSpan.FromSeconds(2)); // the loop's timer for the second probe fires 2s late
            await UntilAsync(() => !notMeasured.IsEmpty, "the late second run skipped");
        }

        probe.Release(dues[0].Probe.Component);
        await UntilAsync(() => measured.Any(m => m.Probe == dues[0].Probe) || notMeasured.Any(n => n.Probe == dues[0].Probe), "the first run's end");
        await stop.CancelAsync();
        await running;

        notMeasured.Any(n => n.Probe == dues[0].Probe && n.Reason == NotMeasuredReason.Behind).ShouldBe(notMeasuredExpected);
        measured.Any(m => m.Probe == dues[0].Probe && !m.Sample.Success).ShouldBe(!notMeasuredExpected);
    }

    /// <summary>Moves the virtual clock forward to <paramref name="at"/> (never back).</summary>
    private static void To(FakeTimeProvider time, DateTimeOffset at)
    {
        if (at > time.GetUtcNow())
        {
            time.Advance(at - time.GetUtcNow());
        }
    }

    private static List<ScheduledProbe> Probes(int count, TimeSpan interval) =>
        [.. Enumerable.Range(0, count).Select(i => new ScheduledProbe($"c{i:00}", "health", new ProbeConfig { Interval = interval, Timeout = TimeSpan.FromMilliseconds(800) }))];

    /// <summary>Every run due in [from, until), in order: each probe's first within a second, then on its own grid.</summary>
    private static List<(ScheduledProbe Probe, DateTimeOffset Due)> Dues(IEnumerable<ScheduledProbe> probes, DateTimeOffset from, DateTimeOffset until) =>
        [.. probes.SelectMany(p => Ticks(p, from, until).Select(due => (p, due))).OrderBy(d => d.due)];

    private static IEnumerable<DateTimeOffset> Ticks(ScheduledProbe probe, DateTimeOffset from, DateTimeOffset until)
    {
        var interval = probe.Config.Interval;
        var first = ProbePhases.FirstDue(from, probe.Component, probe.Name, interval < Second ? interval : Second);
        var grid = interval <= Second ? first : ProbePhases.FirstDue(first.AddTicks(1), probe.Component, probe.Name, interval);
        if (first < grid && first < until)
        {
            yield return first;
        }

        for (var due = grid; due < until; due += interval)
        {
            yield return due;
        }
    }

    private static ProbeRunHandlers Handlers(ConcurrentQueue<MeasuredRun> measured, ConcurrentQueue<NotMeasuredRun> notMeasured) => new(
        (run, _) =>
        {
            measured.Enqueue(run);
            return Task.CompletedTask;
        },
        notMeasured.Enqueue,
        (_, ex) => throw new InvalidOperationException("a run failed", ex));

    /// <summary>Waits for what the scheduler does on other threads after the virtual clock moved; real time only bounds the wait.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var until = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (!condition())
        {
            if (TimeProvider.System.GetUtcNow() > until)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

#pragma warning disable RS0030 // between looks at a condition, under a deadline
            await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System);
#pragma warning restore RS0030
        }
    }

    /// <summary>A probe that answers at once, or (<see cref="Blocking"/>) when the test releases its component.</summary>
    private sealed class FakeProbe(TimeProvider time) : IProbe
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _released = new(StringComparer.Ordinal);
        private readonly List<(string Component, DateTimeOffset At)> _started = [];
        private int _inFlight;

        public bool Blocking { get; init; }

        public string? Error { get; init; }

        public double LatencyMs { get; init; } = 1;

        public IReadOnlyList<(string Component, DateTimeOffset At)> Started
        {
            get
            {
                lock (_started)
                {
                    return [.. _started];
                }
            }
        }

        public int MostInFlight { get; private set; }

        public void Release(string component) => Gate(component).TrySetResult();

        public async Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default)
        {
            var at = time.GetUtcNow();
            lock (_started)
            {
                _started.Add((component, at));
                MostInFlight = Math.Max(MostInFlight, ++_inFlight);
            }

            try
            {
                if (Blocking)
                {
                    await Gate(component).Task.WaitAsync(cancellationToken);
                }

                return new ProbeSample(component, probe, at, Error is null, LatencyMs, Error);
            }
            finally
            {
                lock (_started)
                {
                    _inFlight--;
                }
            }
        }

        private TaskCompletionSource Gate(string component) => _released.GetOrAdd(component, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
