using Microsoft.Extensions.Logging;

namespace Rewind.Engine.Hosting;

/// <summary>The log lines of the monitor watching itself.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1101, LogLevel.Critical, "Automatic rollback of {Component} by policy {Policy} held: {Reason}; a human must decide")]
    public static partial void RollbackHeld(ILogger logger, string component, string policy, string reason);

    [LoggerMessage(1102, LogLevel.Warning, "Policy {Policy} of {Component} still fails now that the monitor can be believed again; acting on it")]
    public static partial void RollbackReleased(ILogger logger, string component, string policy);
}
