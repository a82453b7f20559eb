using Rewind.Core.Configuration;
using Rewind.Core.Incidents;

namespace Rewind.Core.StatusPage;

/// <summary>
/// The sentences customers read, by incident severity or maintenance, with <c>{component}</c> replaced by the public
/// name. Only the configured text and the public name reach the page: never an incident's title or timeline.
/// </summary>
public static class CustomerMessages
{
    public const string Placeholder = "{component}";
    public const string MaintenanceKey = "maintenance";

    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["P0"] = "We are investigating an outage of {component}.",
        ["P1"] = "We are investigating an outage of {component}.",
        ["P2"] = "Some requests to {component} are failing or slow. We are investigating.",
        ["P3"] = "We are looking into a minor issue with {component}.",
        [MaintenanceKey] = "{component} is undergoing scheduled maintenance.",
    };

    /// <summary>P0, P1, P2, P3 and maintenance: the keys <c>status-page.messages</c> accepts.</summary>
    public static IReadOnlyCollection<string> Keys => [.. Defaults.Keys];

    public static string ForIncident(StatusPageConfig config, Severity severity, string publicName) =>
        Render(config, severity.ToString(), publicName);

    public static string ForMaintenance(StatusPageConfig config, string publicName) => Render(config, MaintenanceKey, publicName);

    private static string Render(StatusPageConfig config, string key, string publicName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = config.Messages.TryGetValue(key, out var custom) ? custom : Defaults[key];
        return text.Replace(Placeholder, publicName, StringComparison.Ordinal);
    }
}
