namespace Rewind.Core.Configuration;

/// <summary>Which HAProxy, and which of its backends, a traffic or maintenance step talks to.</summary>
public sealed class HaproxyConfig
{
    /// <summary>The runtime API (a <c>stats socket</c> at level admin): <c>unix:/run/haproxy/admin.sock</c> or <c>tcp:127.0.0.1:9999</c>.</summary>
    public string Socket { get; set; } = "";

    public string Backend { get; set; } = "";
}

/// <summary>
/// Moves traffic back onto the servers of the target release in stages (<c>steps</c>, percent of traffic onto
/// <c>to</c>, the rest on <c>from</c>) by setting HAProxy server weights. Before the first stage every <c>to</c> server
/// must be up in HAProxy's own health checks; after each stage they must stay up for <c>gate</c>. A <c>to</c> server
/// that leaves up puts the weights back to the last stage that held its gate and fails the step.
/// </summary>
public sealed class TrafficStepConfig
{
    public HaproxyConfig Haproxy { get; set; } = new();

    /// <summary>The servers that take the traffic: those running the target (known-good) release.</summary>
    public List<string> To { get; set; } = [];

    /// <summary>The servers that give it up.</summary>
    public List<string> From { get; set; } = [];

    /// <summary>Percent of traffic onto <c>to</c> at each stage, strictly increasing, ending at 100. Default [25, 50, 75, 100].</summary>
    public List<int> Steps { get; set; } = [25, 50, 75, 100];

    /// <summary>How long every <c>to</c> server must stay up after each stage. Default 10s.</summary>
    public TimeSpan Gate { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the whole step may take, waiting for cold servers included. Default 5m.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Forces the administrative state of servers of a HAProxy backend: a maintenance switch. Idempotent.</summary>
public sealed class MaintenanceStepConfig
{
    public HaproxyConfig Haproxy { get; set; } = new();

    public List<string> Servers { get; set; } = [];

    /// <summary>Required.</summary>
    public MaintenanceState? State { get; set; }
}

/// <summary>The administrative state a maintenance step forces on its servers.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<MaintenanceState>))]
public enum MaintenanceState
{
    /// <summary>No traffic and no health checks.</summary>
    Maint,

    /// <summary>No new load-balanced traffic; health checks and persistent sessions go on.</summary>
    Drain,

    /// <summary>Back in load balancing once the server's health checks pass.</summary>
    Ready,
}
