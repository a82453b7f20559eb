using System.Globalization;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Engine.Agents;
using Rewind.Runtime.Releases;

namespace Rewind.Engine.Releases;

/// <summary>
/// The copy of a <c>files</c> component's files that a release being recorded stands for: taken here for a component on
/// the controller's host (<see cref="ReleaseFiles"/>), by the host's agent for one with <c>host:</c>, by every host's
/// agent at once for a fleet (<c>hosts:</c>). The record waits for it: a release whose files were not kept (on every
/// host) is not recorded, since a rollback to it could not restore them.
/// </summary>
internal sealed class ReleaseFileCopies(HostJobs hostJobs, TimeProvider time)
{
    /// <summary>How long a release record waits for the host's agent at most, whatever the component's <c>unreachable.wait</c>.</summary>
    public static readonly TimeSpan HostWait = TimeSpan.FromSeconds(30);

    /// <summary>Null when the copy is kept; otherwise why not.</summary>
    public async Task<string?> KeepAsync(string component, ComponentConfig config, string version, bool stable, CancellationToken cancellationToken)
    {
        var files = config.Provider.Files ?? throw new ArgumentException($"{component} is not a files component", nameof(config));
        List<string> hosts = config.Hosts ?? (config.Host is { } host ? [host] : []);
        if (hosts.Count == 0)
        {
            return ReleaseFiles.Keep(component, files.Paths, files.Store, version, stable, time.GetUtcNow());
        }

        // Every host keeps its own copy of its own files, all at once; the release stands only when every host kept it.
        var key = string.Create(CultureInfo.InvariantCulture, $"files.{component}.{version}.{time.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}");
        var wait = config.Unreachable.Wait < HostWait ? config.Unreachable.Wait : HostWait;
        var kept = await Task.WhenAll(hosts.Select(h => hostJobs.RunAsync(
            h, key, new FilesKeepStep(component, RollbackPlanner.FillHost(files.Store, h), [.. files.Paths.Select(p => RollbackPlanner.FillHost(p, h))], version, stable), wait, cancellationToken)));
        var failed = kept.Where(k => !k.Succeeded).Select(k => k.Summary).ToList();
        return failed.Count == 0 ? null : string.Join("; ", failed);
    }
}
