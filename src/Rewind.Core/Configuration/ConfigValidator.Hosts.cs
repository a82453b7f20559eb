using Rewind.Core.Agents;

namespace Rewind.Core.Configuration;

/// <summary>Checks of where a component's steps run: the controller, or a host's agent.</summary>
internal static partial class ConfigValidator
{
    private const string HostNameRule = "lower-case letters, digits, '.' and '-', starting with a letter or digit, at most 63 characters";

    private static void ValidateHost(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        ValidateFleet(at, component, add);
        ValidateProbeHost(at, component, add);
        if (component.Hosts?.FirstOrDefault() is { } member && component.Backups is not null)
        {
            add(component, "backups", $"{at}.backups: a fleet's hosts are rolled back alike, not backed up alike; declare the backups on a component of one host (host: {member})");
        }

        if (component.Host is not { } host)
        {
            return;
        }

        if (!HostNames.IsValid(host))
        {
            add(component, "host", $"{at}.host: '{host}' is not a host name: {HostNameRule}");
            return;
        }

        if (component.Provider.Http is not null)
        {
            add(component, "host", $"{at}.host: an http provider is called from the controller, not from a host's agent; leave host out");
        }

        if (component.VersionSource is { ReleaseDir: true })
        {
            add(component.VersionSource, "release-dir", $"{at}.version-source.release-dir: the controller cannot read the link on {host}; read the serving version from a probe's JSON, a scrape's label or a command instead");
        }
    }

    private static void ValidateFleet(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        if (component.Hosts is not { } hosts)
        {
            if (component.Provider.ReleaseDir is { } releaseDir && releaseDir.Restart.Prepend(releaseDir.Path).Any(HasHostPlaceholder))
            {
                add(releaseDir, "path", $"{at}.provider.release-dir: {Runbooks.RollbackPlanner.FleetHostPlaceholder} is filled with each host's name only for a fleet (hosts:)");
            }

            if (component.Provider.Files is { } files && files.Paths.Concat(files.Reload).Append(files.Store).Any(HasHostPlaceholder))
            {
                add(files, "paths", $"{at}.provider.files: {Runbooks.RollbackPlanner.FleetHostPlaceholder} is filled with each host's name only for a fleet (hosts:)");
            }

            if (component.Unreachable.Then == UnreachableAction.Skip)
            {
                add(component.Unreachable, "then", $"{at}.unreachable.then: skip applies to a fleet (hosts:); a single host cannot be skipped, its step fails");
            }

            return;
        }

        if (component.Host is not null)
        {
            add(component, "hosts", $"{at}: declare host (one host) or hosts (a fleet), not both");
        }

        if (hosts.Count == 0)
        {
            add(component, "hosts", $"{at}.hosts: at least one host");
        }

        foreach (var bad in hosts.Where(h => !HostNames.IsValid(h)))
        {
            add(component, "hosts", $"{at}.hosts: '{bad}' is not a host name: {HostNameRule}");
        }

        if (hosts.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            add(component, "hosts", $"{at}.hosts: {twice.Key} is listed twice");
        }

        if (component.Provider.ReleaseDir is null && component.Provider.Command is null && component.Provider.Files is null)
        {
            add(component, "hosts", $"{at}.hosts: only a release-dir, command or files component is switched by its hosts' agents");
        }

        if (component.VersionSource is { ReleaseDir: true })
        {
            add(component.VersionSource, "release-dir", $"{at}.version-source.release-dir: the controller cannot read the links on the fleet's hosts; read the serving version from a probe's JSON, a scrape's label or a command instead");
        }

        if (component.Fleet.Concurrency is < 1 or > 100)
        {
            add(component.Fleet, "concurrency", $"{at}.fleet.concurrency: from 1 to 100");
        }

        if (component.Fleet.MaxFailed < 0 || component.Fleet.MaxFailed >= Math.Max(1, hosts.Count))
        {
            add(component.Fleet, "max-failed", $"{at}.fleet.max-failed: from 0 to one less than the number of hosts");
        }
    }

    /// <summary>
    /// A probe run by a host's agent: a host name, and for a fleet one of its hosts. <c>each</c> (every host of the
    /// fleet, a sample per host) is refused for now: a probe has one series of samples, so a fleet's probe names the
    /// host that runs it.
    /// </summary>
    private static void ValidateProbeHost(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        foreach (var (name, probe) in component.Probes)
        {
            if (probe.Host is not { } host)
            {
                continue;
            }

            var where = $"{at}.probes.{name}.host";
            if (string.Equals(host, "each", StringComparison.Ordinal))
            {
                add(probe, "host", $"{where}: each (every host of a fleet) is not supported yet; name one host{(component.Hosts is { Count: > 0 } fleet ? $": one of {string.Join(", ", fleet)}" : "")}, or declare one probe per host");
            }
            else if (!HostNames.IsValid(host))
            {
                add(probe, "host", $"{where}: '{host}' is not a host name: {HostNameRule}");
            }
            else if (component.Hosts is { } hosts && !hosts.Contains(host, StringComparer.Ordinal))
            {
                add(probe, "host", $"{where}: {host} is not a host of this fleet; expected one of: {string.Join(", ", hosts)}");
            }

            if (component.VersionSource?.Probe == name)
            {
                add(component.VersionSource, "probe", $"{at}.version-source.probe: {name} runs on {host}'s agent, which does not read the serving version; read it from a probe the controller runs, a scrape's label or a command");
            }
        }
    }

    private static bool HasHostPlaceholder(string? text) => text?.Contains(Runbooks.RollbackPlanner.FleetHostPlaceholder, StringComparison.Ordinal) == true;

    private static void ValidateStepHost(string at, CommandStepConfig command, Action<object, string?, string> add)
    {
        if (command.Host is { } host && !HostNames.IsValid(host))
        {
            add(command, "host", $"{at}.host: '{host}' is not a host name: {HostNameRule}");
        }
    }
}
