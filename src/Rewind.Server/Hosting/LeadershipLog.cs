using Microsoft.Extensions.Logging;

namespace Rewind.Server.Hosting;

/// <summary>The log events of the leadership among replicas (1060–1069).</summary>
internal static partial class LeadershipLog
{
    [LoggerMessage(1060, LogLevel.Warning, "Replica {Replica} leads now (epoch {Epoch}): it decides and rolls back")]
    public static partial void Leading(ILogger logger, string replica, long epoch);

    [LoggerMessage(1061, LogLevel.Warning, "Replica {Replica} stopped leading (epoch {Epoch}): {Reason}")]
    public static partial void SteppedDown(ILogger logger, string replica, long epoch, string reason);

    [LoggerMessage(1062, LogLevel.Information, "Replica {Replica} follows {Leader} (epoch {Epoch})")]
    public static partial void Following(ILogger logger, string replica, string leader, long epoch);

    [LoggerMessage(1063, LogLevel.Error, "Leader election of replica {Replica} failed; trying again")]
    public static partial void ElectionFailed(ILogger logger, Exception exception, string replica);

    [LoggerMessage(1064, LogLevel.Error, "Replica {Replica} could not say it is alive; trying again")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception, string replica);

    [LoggerMessage(1066, LogLevel.Warning, "Replica {Replica} renewed the lease (epoch {Epoch}) in {Took}, more than a quarter of the lease: the database or this host is slow")]
    public static partial void SlowRenewal(ILogger logger, string replica, long epoch, string took);
}
