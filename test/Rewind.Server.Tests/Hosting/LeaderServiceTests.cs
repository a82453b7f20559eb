using Rewind.Core.Leadership;
using Rewind.Server.Hosting;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Hosting;

/// <summary>How a loop that only the leader runs goes through terms.</summary>
public sealed class LeaderServiceTests
{
    [Fact]
    public async Task LoopWithNothingToDo_RunsOncePerTerm_NotOverAndOverWhileTheTermLasts()
    {
        var leadership = new Leadership("a", shared: false, TimeSpan.FromSeconds(6), TimeProvider.System);
        var loop = new ReturnsAtOnce(leadership);
        using var first = new LeaderTerm("a", 1);
        leadership.Begin(first);
        await loop.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.WaitAsync(() => Task.FromResult(loop.Runs >= 1), TimeSpan.FromSeconds(30), "the loop's first run");
            await Task.Yield();
            var afterFirst = loop.Runs; // a loop started again at once would count thousands here in a moment

            using var second = new LeaderTerm("a", 2);
            first.End();
            leadership.Begin(second);
            await Eventually.WaitAsync(() => Task.FromResult(loop.Runs >= 2), TimeSpan.FromSeconds(30), "the run in the next term");

            afterFirst.ShouldBe(1);
            loop.Runs.ShouldBe(2);
        }
        finally
        {
            await loop.StopAsync(CancellationToken.None);
        }
    }

    private sealed class ReturnsAtOnce(Leadership leadership) : LeaderService(leadership)
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        protected override Task RunAsLeaderAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.CompletedTask;
        }
    }
}
