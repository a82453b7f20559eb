using Microsoft.Extensions.Logging;

namespace Rewind.Server.Hosting;

/// <summary>Every log line the server writes, with stable event ids. Secrets never reach these parameters.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1098, LogLevel.Information, "Listening on {Address}; dashboard at {Dashboard}")]
    public static partial void Listening(ILogger logger, string address, string dashboard);

    [LoggerMessage(1004, LogLevel.Information, "Release {Version} of {Component} is stable after its bake time")]
    public static partial void ReleaseStable(ILogger logger, string component, string version);

    [LoggerMessage(1005, LogLevel.Error, "Monitoring of {Component}/{Probe} failed; continuing")]
    public static partial void MonitorLoopFailed(ILogger logger, Exception exception, string component, string probe);

    [LoggerMessage(1080, LogLevel.Error, "Feeding the samples of host probe {Component}/{Probe} failed; continuing")]
    public static partial void HostProbeFeedFailed(ILogger logger, Exception exception, string component, string probe);

    [LoggerMessage(1081, LogLevel.Warning, "The agent of {Host} dropped {Dropped} probe samples it could not send")]
    public static partial void HostSamplesDropped(ILogger logger, string host, long dropped);

    [LoggerMessage(1006, LogLevel.Error, "Decision for {Component} failed; continuing")]
    public static partial void DecisionFailed(ILogger logger, Exception exception, string component);

    [LoggerMessage(1008, LogLevel.Error, "Bake check failed; continuing")]
    public static partial void BakeFailed(ILogger logger, Exception exception);

    [LoggerMessage(1009, LogLevel.Information, "Event {Event} x{Count} pushed for {Component} by {PushedBy}")]
    public static partial void EventPushed(ILogger logger, string component, string @event, long count, string pushedBy);

    [LoggerMessage(1010, LogLevel.Critical, "Could not write the audit entry for {Action}")]
    public static partial void AuditFailed(ILogger logger, Exception exception, string action);

    [LoggerMessage(1014, LogLevel.Error, "Could not take the store's reserve; trying again")]
    public static partial void StoreReserveFailed(ILogger logger, Exception exception);

    [LoggerMessage(1041, LogLevel.Critical, "Controller fault {Kind}: {Message}")]
    public static partial void ControllerFaultRaised(ILogger logger, string kind, string message);

    [LoggerMessage(1042, LogLevel.Warning, "Controller fault {Kind} is over after {Lasted}")]
    public static partial void ControllerFaultCleared(ILogger logger, string kind, string lasted);

    [LoggerMessage(1043, LogLevel.Information, "Sent {Event} about the controller itself to {Channel} (attempt {Attempt})")]
    public static partial void ControllerPageSent(ILogger logger, string channel, string @event, int attempt);

    [LoggerMessage(1044, LogLevel.Warning, "Could not send {Event} about the controller itself to {Channel}: {Error}; retrying from memory")]
    public static partial void ControllerPageRetry(ILogger logger, string channel, string @event, string error);

    [LoggerMessage(1045, LogLevel.Error, "Gave up sending {Event} about the controller itself to {Channel}: {Error}")]
    public static partial void ControllerPageGaveUp(ILogger logger, string channel, string @event, string error);

    [LoggerMessage(1046, LogLevel.Error, "Sending the controller's pages about itself failed; continuing")]
    public static partial void ControllerPageFailed(ILogger logger, Exception exception);

    [LoggerMessage(1047, LogLevel.Error, "Watching the controller's own health failed; continuing")]
    public static partial void FaultWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(1073, LogLevel.Error, "Watching the agents' polls failed; continuing")]
    public static partial void AgentWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(1048, LogLevel.Error, "{Request} answered 503: {Error}")]
    public static partial void ApiStoreUnavailable(ILogger logger, string request, string error);

    [LoggerMessage(1022, LogLevel.Information, "Release {Version} of {Component} promoted to stable by {Actor}: {Reason}")]
    public static partial void ReleasePromoted(ILogger logger, string component, string version, string actor, string reason);

    [LoggerMessage(2005, LogLevel.Error, "Rollback {RollbackId} crashed in the executor")]
    public static partial void RollbackCrashed(ILogger logger, Exception exception, string rollbackId);

    [LoggerMessage(2007, LogLevel.Error, "Could not look in the store for rollbacks started through another replica; looking again in a second")]
    public static partial void RollbackScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(4001, LogLevel.Error, "Notification tail failed; retrying")]
    public static partial void NotificationTailFailed(ILogger logger, Exception exception);

    [LoggerMessage(4007, LogLevel.Error, "Notification dispatch of {Channel} failed; continuing")]
    public static partial void NotificationDispatchFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(4102, LogLevel.Error, "Escalation check failed; retrying at the next tick")]
    public static partial void EscalationFailed(ILogger logger, Exception exception);

    [LoggerMessage(1200, LogLevel.Information, "Probes scheduled: {Probes} probes, at most {MaxConcurrent} runs at once")]
    public static partial void ProbesScheduled(ILogger logger, int probes, int maxConcurrent);
}
