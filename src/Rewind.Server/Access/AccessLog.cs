using Microsoft.Extensions.Logging;

namespace Rewind.Server.Access;

/// <summary>Log lines of refused requests and their counting, with stable event ids.</summary>
internal static partial class AccessLog
{
    [LoggerMessage(6101, LogLevel.Error, "Could not write {Count} counted refusal entries; kept for the next try")]
    public static partial void RefusalsNotWritten(ILogger logger, Exception exception, int count);

    [LoggerMessage(6102, LogLevel.Critical, "Dropped {Count} counted refusal entries the store would not take ({Requests} refused requests)")]
    public static partial void RefusalsDropped(ILogger logger, int count, long requests);
}
