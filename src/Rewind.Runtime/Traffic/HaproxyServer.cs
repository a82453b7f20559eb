namespace Rewind.Runtime.Traffic;

/// <summary>One server of a backend as HAProxy's runtime API reports it.</summary>
/// <param name="Backend">The backend's name.</param>
/// <param name="Name">The server's name in its backend.</param>
/// <param name="Address">The server's IP address (<c>srv_addr</c>).</param>
/// <param name="Port">The server's port; 0 when it has none (it takes the client's port).</param>
/// <param name="Status">What the server does with traffic now, derived from the operational and administrative states.</param>
/// <param name="Admin">The administrative flags behind <see cref="Status"/> (forced, inherited, from the configuration).</param>
/// <param name="Weight">The current weight, as set by <c>set server … weight</c> (0–256).</param>
/// <param name="InitialWeight">The weight in the configuration.</param>
/// <param name="CheckStatus">
/// The last health check result in <c>show stat</c>'s words (<c>L7OK</c>, <c>L4CON</c>, <c>L7STS</c>, …); null when the
/// server has no health check.
/// </param>
public sealed record HaproxyServer(
    string Backend,
    string Name,
    string Address,
    int Port,
    HaproxyServerStatus Status,
    HaproxyAdminState Admin,
    int Weight,
    int InitialWeight,
    string? CheckStatus);

/// <summary>What a server does with traffic, in the words of HAProxy's stats page.</summary>
public enum HaproxyServerStatus
{
    /// <summary>Running (or warming up in slow start) and taking load-balanced traffic in proportion to its weight.</summary>
    Up,

    /// <summary>Its health checks fail: no traffic.</summary>
    Down,

    /// <summary>In maintenance (forced, inherited from a tracked server, or by a DNS failure): no traffic, no checks.</summary>
    Maint,

    /// <summary>
    /// Forced to drain, or soft-stopping on its own (a 404 with <c>disable-on-404</c>): no new load-balanced traffic, but
    /// still checked and still taking persistent sessions.
    /// </summary>
    Drain,
}

/// <summary>The <c>srv_admin_state</c> mask of <c>show servers state</c> (HAProxy's <c>SRV_ADMF_*</c> values).</summary>
[Flags]
public enum HaproxyAdminState
{
    None = 0,
    ForcedMaint = 0x01,
    InheritedMaint = 0x02,
    ConfigMaint = 0x04,
    ForcedDrain = 0x08,
    InheritedDrain = 0x10,
    ResolutionMaint = 0x20,
    FqdnChanged = 0x40,
}

/// <summary>The administrative state <c>set server &lt;backend&gt;/&lt;server&gt; state</c> forces.</summary>
public enum HaproxyAdminMode
{
    /// <summary>Back to normal: takes traffic again when its checks pass.</summary>
    Ready,

    /// <summary>Out of load balancing; checks and persistent sessions go on.</summary>
    Drain,

    /// <summary>No traffic and no checks.</summary>
    Maint,
}
