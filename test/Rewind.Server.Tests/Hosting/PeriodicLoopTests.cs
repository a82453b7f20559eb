using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Rewind.Server.Hosting;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Hosting;

public sealed class PeriodicLoopTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(100, 2)] // on time: the next tick of the grid
    [InlineData(999, 2)]
    [InlineData(1000, 3)] // started exactly one interval late: that tick has passed
    [InlineData(3500, 5)] // woke 3.5 intervals late: the ticks missed meanwhile are one, the next is the first still ahead
    public void NextDue_AfterARunThatStartedLate_IsTheFirstTickStillAhead(int startedAfterDueMs, int nextDueSeconds)
    {
        var due = T0.AddSeconds(1);

        PeriodicLoop.NextDue(due, due.AddMilliseconds(startedAfterDueMs), Second).ShouldBe(T0.AddSeconds(nextDueSeconds));
    }

    [Fact]
    public async Task RunAsync_ClockJumpsPastSeveralTicks_OneRunToldHowLateItIs()
    {
        var time = new FakeTimeProvider(T0);
        var ticks = new ConcurrentQueue<LoopTick>();
        using var stop = new CancellationTokenSource();
        var loop = PeriodicLoop.RunAsync(Second, time, (tick, _) =>
        {
            ticks.Enqueue(tick);
            return Task.CompletedTask;
        }, _ => { }, stop.Token);
        await CountAsync(ticks, 1);

        time.Advance(Second);
        await CountAsync(ticks, 2);
        time.Advance(TimeSpan.FromMilliseconds(3500)); // the controller was starved: its timer fires 2.5s after the tick at T0+2s
        await CountAsync(ticks, 3);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await CountAsync(ticks, 4);
        await stop.CancelAsync();
        await loop;

        ticks.Select(t => (t.Due - T0, t.Lag)).ShouldBe(
        [
            (TimeSpan.Zero, TimeSpan.Zero),
            (Second, TimeSpan.Zero),
            (TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(2500)),
            (TimeSpan.FromSeconds(5), TimeSpan.Zero),
        ]);
    }

    private static Task CountAsync(ConcurrentQueue<LoopTick> ticks, int count) =>
        Eventually.WaitAsync(() => Task.FromResult(ticks.Count >= count), TimeSpan.FromSeconds(10), $"{count} runs");
}
