using Rewind.Core.Agents;

namespace Rewind.Core.Configuration;

/// <summary>Checks of where a component's steps run: the controller, or a host's agent.</summary>
internal static partial class ConfigValidator
{
    private const string HostNameRule = "lower-case letters, digits, '.' and '-', starting with a letter or digit, at most 63 characters";

    private static void ValidateHost(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        if (component.Host is not { } host)
        {
            return;
        }

        if (!HostNames.IsValid(host))
        {
            add(component, "host", $"{at}.host: '{host}' is not a host name: {HostNameRule}");
            return;
        }

        if (component.Provider.ReleaseDir is null && component.Provider.Command is null)
        {
            add(component, "host", $"{at}.host: only a release-dir or command component is switched by a host's agent; a files component's copies are taken by the controller, an http provider is called from it, a postgres component is restored by it");
        }

        if (component.VersionSource is { ReleaseDir: true })
        {
            add(component.VersionSource, "release-dir", $"{at}.version-source.release-dir: the controller cannot read the link on {host}; read the serving version from a probe's JSON, a scrape's label or a command instead");
        }
    }

    private static void ValidateStepHost(string at, CommandStepConfig command, Action<object, string?, string> add)
    {
        if (command.Host is { } host && !HostNames.IsValid(host))
        {
            add(command, "host", $"{at}.host: '{host}' is not a host name: {HostNameRule}");
        }
    }
}
