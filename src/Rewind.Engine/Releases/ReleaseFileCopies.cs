using System.Globalization;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Engine.Agents;
using Rewind.Runtime.Releases;

namespace Rewind.Engine.Releases;

/// <summary>
/// The copy of a <c>files</c> component's files that a release being recorded stands for: taken here for a component on
/// the controller's host (<see cref="ReleaseFiles"/>), by the host's agent for one with <c>host:</c>. The record waits for
/// it: a release whose files were not kept is not recorded, since a rollback to it could not restore them.
/// </summary>
internal sealed class ReleaseFileCopies(HostJobs hostJobs, TimeProvider time)
{
    /// <summary>How long a release record waits for the host's agent at most, whatever the component's <c>unreachable.wait</c>.</summary>
    public static readonly TimeSpan HostWait = TimeSpan.FromSeconds(30);

    /// <summary>Null when the copy is kept; otherwise why not.</summary>
    public async Task<string?> KeepAsync(string component, ComponentConfig config, string version, bool stable, CancellationToken cancellationToken)
    {
        var files = config.Provider.Files ?? throw new ArgumentException($"{component} is not a files component", nameof(config));
        if (config.Host is not { } host)
        {
            return ReleaseFiles.Keep(component, files.Paths, files.Store, version, stable, time.GetUtcNow());
        }

        var key = string.Create(CultureInfo.InvariantCulture, $"files.{component}.{version}.{time.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}");
        var wait = config.Unreachable.Wait < HostWait ? config.Unreachable.Wait : HostWait;
        var (succeeded, summary) = await hostJobs.RunAsync(host, key, new FilesKeepStep(component, files.Store, files.Paths, version, stable), wait, cancellationToken);
        return succeeded ? null : summary;
    }
}
