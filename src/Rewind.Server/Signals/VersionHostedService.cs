using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Engine.Hosting;
using Rewind.Engine.Policies;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Releases;
using Rewind.Server.Hosting;

namespace Rewind.Server.Signals;

/// <summary>
/// Reads the serving version of components whose version source is the release-dir <c>current</c> link or a command,
/// every <c>interval</c>, and hands it to the decision engine. Probe and scrape sources are read with their samples.
/// </summary>
internal sealed class VersionHostedService(
    ConfigHolder config,
    DecisionEngine engine,
    ProcessRunner processes,
    TimeProvider time,
    ILogger<VersionHostedService> logger, Leadership leadership) : LeaderService(leadership)
{
    protected override Task RunAsLeaderAsync(CancellationToken stoppingToken) =>
        config.FollowAsync(c => c.Components.ToDictionary(x => x.Key, x => (x.Value.VersionSource, x.Value.Provider.ReleaseDir?.Path), StringComparer.Ordinal), RunAsync, stoppingToken);

    private Task RunAsync(RewindConfig current, CancellationToken stoppingToken) =>
        Task.WhenAll(current.Components
            .Where(c => c.Value.VersionSource is { ReleaseDir: true } or { Command: not null })
            .Select(c => PeriodicLoop.RunAsync(c.Value.VersionSource!.Interval, time, async cancellationToken =>
            {
                if (await ReadAsync(c.Value, cancellationToken) is { Length: > 0 } version)
                {
                    await engine.ObserveVersionAsync(c.Key, version, time.GetUtcNow(), cancellationToken);
                }
            }, ex => ServerLog.MonitorLoopFailed(logger, ex, c.Key, "version-source"), stoppingToken)));

    private async Task<string?> ReadAsync(ComponentConfig component, CancellationToken cancellationToken)
    {
        if (component.VersionSource is { ReleaseDir: true } && component.Provider.ReleaseDir is { } releaseDir)
        {
            return ReleaseDirectory.ReadCurrentVersion(releaseDir.Path);
        }

        if (component.VersionSource is not { Command: { } argv } source)
        {
            return null;
        }

        var result = await processes.RunAsync(new ProcessRequest(argv, null, source.Interval), cancellationToken);
        return result.Succeeded ? result.Output.Split('\n', 2)[0].Trim() : null;
    }
}
