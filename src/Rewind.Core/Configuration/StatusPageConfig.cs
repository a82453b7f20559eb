namespace Rewind.Core.Configuration;

/// <summary>
/// The public status page (<c>GET /status</c>, <c>GET /status.json</c>): what customers see, in customer words. Nothing
/// internal (evidence, versions, hosts, policy names, people) is ever shown, whatever is written here.
/// </summary>
public sealed class StatusPageConfig
{
    /// <summary>The page's heading and title. Default "Service status".</summary>
    public string Title { get; set; } = "Service status";

    /// <summary>How each component is shown, by its config name. A component not listed is shown under its config name.</summary>
    public Dictionary<string, StatusPageComponentConfig> Components { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Customer messages by incident severity (<c>P0</c> … <c>P3</c>) or <c>maintenance</c>, replacing the defaults;
    /// <c>{component}</c> is replaced by the component's public name.
    /// </summary>
    public Dictionary<string, string> Messages { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One component on the status page.</summary>
public sealed class StatusPageComponentConfig
{
    /// <summary>The name customers know the component by. Default: the component's config name.</summary>
    public string? PublicName { get; set; }

    /// <summary>Leave the component off the page (and its incidents). Default false.</summary>
    public bool Hidden { get; set; }
}
