namespace Rewind.Core.Configuration;

/// <summary>Checks of a component's version source.</summary>
internal static partial class ConfigValidator
{
    private static void ValidateVersionSource(string at, ComponentConfig component, Action<object, string?, string> add)
    {
        if (component.VersionSource is not { } source)
        {
            return;
        }

        var where = $"{at}.version-source";
        if (source.KindCount != 1)
        {
            add(source, null, $"{where}: exactly one of release-dir, probe, scrape or command");
            return;
        }

        if (source.ReleaseDir && component.Provider.ReleaseDir is null)
        {
            add(source, "release-dir", $"{where}.release-dir: the component's provider is {component.Provider.Kind}, not release-dir");
        }

        if (source.Probe is { } probe && (!component.Probes.TryGetValue(probe, out var probeConfig) || probeConfig.Http is null))
        {
            add(source, "probe", $"{where}.probe: '{probe}' is not an http probe of this component; expected one of: {string.Join(", ", component.Probes.Where(p => p.Value.Http is not null).Select(p => p.Key).Order(StringComparer.Ordinal))}");
        }

        if (source.Probe is not null && string.IsNullOrWhiteSpace(source.Field))
        {
            add(source, "field", $"{where}.field: the JSON path of the version must not be empty");
        }

        if (source.Scrape is { } scrape && !component.Scrapes.ContainsKey(scrape))
        {
            add(source, "scrape", $"{where}.scrape: '{scrape}' is not a scrape of this component");
        }

        if (source.Scrape is not null && (string.IsNullOrWhiteSpace(source.Metric) || string.IsNullOrWhiteSpace(source.Label)))
        {
            add(source, "metric", $"{where}.metric: a scrape version source needs the metric and its label (e.g. metric: app_info, label: version)");
        }

        if (source.Command is { } command && (command.Count == 0 || string.IsNullOrWhiteSpace(command[0])))
        {
            add(source, "command", $"{where}.command: an argv with the program first, e.g. [cat, /srv/web/VERSION]");
        }

        if (source.Interval <= TimeSpan.Zero)
        {
            add(source, "interval", $"{where}.interval: must be positive");
        }
    }
}
