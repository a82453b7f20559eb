using Rewind.Cli.Agent;
using Rewind.Client;

namespace Rewind.Cli.Tests.Agent;

/// <summary>The agent's unsent samples while no controller answers: the newest kept, older ones dropped and counted.</summary>
public sealed class AgentSampleBufferTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_BeyondTheCapacity_KeepsTheNewest_AndCountsTheDropped()
    {
        var buffer = new AgentSampleBuffer();

        for (var i = 0; i < 1005; i++)
        {
            buffer.Add(Sample(i));
        }

        (buffer.Count, buffer.Dropped).ShouldBe((1000, 5L));
        var batch = buffer.Peek(500);
        batch.Samples.Count.ShouldBe(500);
        batch.Samples[0].At.ShouldBe(T0.AddSeconds(5));
        batch.Dropped.ShouldBe(5);
    }

    [Fact]
    public void Sent_RemovesTheBatch_AndItsDrops_KeepsWhatCameMeanwhile()
    {
        var buffer = new AgentSampleBuffer(capacity: 3);
        for (var i = 0; i < 4; i++)
        {
            buffer.Add(Sample(i));
        }

        var batch = buffer.Peek(2);
        buffer.Add(Sample(4)); // taken while the batch was on its way: drops sample 1
        buffer.Sent(batch);

        buffer.Peek(10).Samples.Select(s => s.At).ShouldBe([T0.AddSeconds(3), T0.AddSeconds(4)]);
        buffer.Dropped.ShouldBe(1, "the drop after the batch was taken is told with the next one");
    }

    private static AgentSampleDto Sample(int second) => new("web", "env", T0.AddSeconds(second), true, 1);
}
