using Microsoft.Extensions.Logging;

namespace Rewind.Engine.Hosting;

/// <summary>The log lines of the probe samples' way to the store.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1220, LogLevel.Warning, "Probe samples are arriving faster than the store takes them: {Dropped} dropped so far (kept in memory only: decisions are not affected; queue of {Capacity})")]
    public static partial void SamplesDropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(1221, LogLevel.Warning, "{Count} probe samples still queued at shutdown were not written: {Reason}")]
    public static partial void SamplesLeftAtStop(ILogger logger, int count, string reason);
}
