using Microsoft.Extensions.Logging;

namespace Rewind.Engine.Hosting;

/// <summary>The log lines of a reload of the config file.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1090, LogLevel.Information, "Config {File} reloaded (version {Version}, asked by {Actor}): {Changes}")]
    public static partial void ConfigApplied(ILogger logger, string file, long version, string actor, string changes);

    [LoggerMessage(1091, LogLevel.Information, "Config {File} read again (asked by {Actor}): nothing to apply")]
    public static partial void ConfigUnchanged(ILogger logger, string file, string actor);

    [LoggerMessage(1092, LogLevel.Error, "Config {File} refused (asked by {Actor}); the running config stays in force:\n{Errors}")]
    public static partial void ConfigRefused(ILogger logger, string file, string actor, string errors);

    [LoggerMessage(1096, LogLevel.Error, "Config reload of {File} ({Outcome}) not written to the audit log or the timeline; the store refused it")]
    public static partial void ConfigNotRecorded(ILogger logger, Exception exception, string file, string outcome);

    [LoggerMessage(1093, LogLevel.Warning, "Config {File}: changed settings that need a restart; their running values stay in force until then: {Settings}")]
    public static partial void ConfigNeedsRestart(ILogger logger, string file, string settings);
}
