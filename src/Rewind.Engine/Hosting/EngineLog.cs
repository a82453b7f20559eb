using Microsoft.Extensions.Logging;

namespace Rewind.Engine.Hosting;

/// <summary>Every log line the engine writes, with stable event ids. Secrets never reach these parameters.</summary>
internal static partial class EngineLog
{
    private static readonly Func<ILogger, string, string, IDisposable?> RollbackScopeDefinition =
        LoggerMessage.DefineScope<string, string>("RollbackId:{RollbackId} IncidentId:{IncidentId}");

    /// <summary>Every line written while a rollback runs carries its rollback and incident IDs.</summary>
    public static IDisposable? RollbackScope(ILogger logger, string rollbackId, string incidentId) => RollbackScopeDefinition(logger, rollbackId, incidentId);

    [LoggerMessage(1001, LogLevel.Warning, "Policy {Policy} of {Component} fired: {Evidence}")]
    public static partial void PolicyFired(ILogger logger, string component, string policy, string evidence);

    [LoggerMessage(1002, LogLevel.Information, "Policy {Policy} of {Component} recovered")]
    public static partial void PolicyRecovered(ILogger logger, string component, string policy);

    [LoggerMessage(1003, LogLevel.Critical, "No rollback for {Component}: {Reason}")]
    public static partial void RollbackRefused(ILogger logger, string component, string reason);

    [LoggerMessage(1011, LogLevel.Critical, "The store refuses writes: {Status}")]
    public static partial void StoreWritesFailing(ILogger logger, string status);

    [LoggerMessage(1012, LogLevel.Warning, "The store takes writes again")]
    public static partial void StoreWritesBack(ILogger logger);

    [LoggerMessage(1013, LogLevel.Critical, "The store's disk is full: {Reserve}; samples and traffic totals are kept in memory only until there is room again")]
    public static partial void StoreDiskFull(ILogger logger, string reserve);

    [LoggerMessage(1020, LogLevel.Information, "Deploy of {Version} of {Component} finished: {How}; it bakes now")]
    public static partial void DeployFinished(ILogger logger, string component, string version, string how);

    [LoggerMessage(1021, LogLevel.Information, "Policy {Policy} of {Component} held: deploy of {Version} in progress until {Until}")]
    public static partial void PolicyHeldByDeploy(ILogger logger, string component, string policy, string version, DateTimeOffset until);

    [LoggerMessage(1070, LogLevel.Warning, "Agent of {Host} lost: last heard from at {SeenAt}; its steps wait up to their unreachable limit")]
    public static partial void AgentLost(ILogger logger, string host, DateTimeOffset seenAt);

    [LoggerMessage(1071, LogLevel.Information, "Agent of {Host} is back after {Gone}")]
    public static partial void AgentBack(ILogger logger, string host, string gone);

    [LoggerMessage(1072, LogLevel.Warning, "No agent of {Host} has polled yet")]
    public static partial void AgentNotPolled(ILogger logger, string host);

    [LoggerMessage(1023, LogLevel.Warning, "Release {Version} of {Component} seen serving while {Recorded} was recorded: recorded as a deploy (on-drift: record)")]
    public static partial void DriftRecorded(ILogger logger, string component, string version, string recorded);

    [LoggerMessage(1024, LogLevel.Warning, "Version source of {Component} ({Source}) gave '{Value}', not a release version; ignored")]
    public static partial void VersionUnreadable(ILogger logger, string component, string source, string value);

    [LoggerMessage(2001, LogLevel.Warning, "Rollback {RollbackId} of {Component} started: {From} -> {To}")]
    public static partial void RollbackStarted(ILogger logger, string rollbackId, string component, string? from, string to);

    [LoggerMessage(2002, LogLevel.Information, "Step {Index} ({Kind}) {Status}: {Output}")]
    public static partial void StepFinished(ILogger logger, int index, string kind, string status, string output);

    [LoggerMessage(2003, LogLevel.Warning, "Rollback {RollbackId} finished: {Status}")]
    public static partial void RollbackFinished(ILogger logger, string rollbackId, string status);

    [LoggerMessage(2004, LogLevel.Information, "Resuming rollback {RollbackId} at its first unfinished step")]
    public static partial void RollbackResumed(ILogger logger, string rollbackId);

    [LoggerMessage(2006, LogLevel.Information, "Rollback {RollbackId} paused by shutdown; it resumes at the next start")]
    public static partial void RollbackPaused(ILogger logger, string rollbackId);

    [LoggerMessage(4101, LogLevel.Warning, "Incident {IncidentId} escalated to level {Level} of {Policy}: {Message}")]
    public static partial void Escalated(ILogger logger, string incidentId, int level, string policy, string message);

    [LoggerMessage(4002, LogLevel.Debug, "{Count} notification(s) queued; timeline cursor at {Cursor}")]
    public static partial void NotificationsQueued(ILogger logger, int count, long cursor);

    [LoggerMessage(4003, LogLevel.Warning, "Timeline entries {From}..{To} never appeared; the notification tail goes past them")]
    public static partial void NotificationGapSkipped(ILogger logger, long from, long to);

    [LoggerMessage(4004, LogLevel.Information, "Notification {Event} of {IncidentId} sent to {Channel} (delivery {DeliveryId}, attempt {Attempts})")]
    public static partial void NotificationSent(ILogger logger, string channel, string @event, string incidentId, string deliveryId, int attempts);

    [LoggerMessage(4005, LogLevel.Warning, "Notification to {Channel} failed (delivery {DeliveryId}, attempt {Attempts}): {Error}; retrying in {Delay}")]
    public static partial void NotificationRetry(ILogger logger, string channel, string deliveryId, int attempts, string error, string delay);

    [LoggerMessage(4006, LogLevel.Error, "Notification to {Channel} given up (delivery {DeliveryId}): {Error}")]
    public static partial void NotificationGaveUp(ILogger logger, string channel, string deliveryId, string error);
}
