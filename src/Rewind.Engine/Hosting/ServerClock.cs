namespace Rewind.Engine.Hosting;

/// <summary>When this controller process started, for its health answer.</summary>
internal sealed class ServerClock(TimeProvider time)
{
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}
