using Microsoft.Extensions.Logging;

namespace Rewind.Engine.Shares;

/// <summary>The log events of the share leases and of the samples of other replicas (1260–1279).</summary>
internal static partial class ShareLog
{
    [LoggerMessage(1260, LogLevel.Information, "Replica {Replica} watches {Count} components now ({Taken} taken, {Given} given up; {Members} replicas hold a share)")]
    public static partial void Watching(ILogger logger, string replica, int count, int taken, int given, int members);

    [LoggerMessage(1261, LogLevel.Warning, "Replica {Replica} could not renew its share for {Since}, three quarters of the {Lease} lease: it stops watching its {Count} components, which the other replicas take over")]
    public static partial void ShareLapsed(ILogger logger, string replica, string since, string lease, int count);

    [LoggerMessage(1262, LogLevel.Error, "Replica {Replica} could not renew or read the share leases; trying again")]
    public static partial void ShareFailed(ILogger logger, Exception exception, string replica);

    [LoggerMessage(1263, LogLevel.Information, "Replica {Replica} sees the share of {Other} run out or end: its components move to the replicas left")]
    public static partial void ShareEnded(ILogger logger, string replica, string other);

    [LoggerMessage(1264, LogLevel.Error, "Replica {Replica} could not read the samples other replicas wrote; trying again")]
    public static partial void TailFailed(ILogger logger, Exception exception, string replica);

    [LoggerMessage(1265, LogLevel.Warning, "Replica {Replica} gave up waiting for {Count} samples whose writes had not committed after {Grace}: the leader does not decide on them")]
    public static partial void TailGaveUp(ILogger logger, string replica, int count, string grace);
}
