namespace Rewind.Core.Configuration;

/// <summary>
/// <c>server.limits</c>: what one client may cost the controller. Requests are counted per client in fixed one-minute
/// windows; over the limit, the answer is 429 with <c>Retry-After</c>. The defaults never slow an operator down during an
/// incident, and keep what anyone who reaches the port can send small.
/// </summary>
public sealed class LimitsConfig
{
    /// <summary>API requests per minute of one authenticated user (or push token). Default 6000.</summary>
    public int RequestsPerMinute { get; set; } = 6000;

    /// <summary>API requests per minute from one client address without a valid token. Default 120.</summary>
    public int AnonymousRequestsPerMinute { get; set; } = 120;

    /// <summary>Dashboard login attempts (<c>POST /ui/login</c>) per minute from one client address. Default 10.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Requests per minute to <c>/api/v1/health</c> and <c>/metrics</c> from one client address, counted apart from
    /// everything else so that no flood starves monitoring. Default 6000.
    /// </summary>
    public int MonitoringRequestsPerMinute { get; set; } = 6000;

    /// <summary>Event streams (<c>GET /api/v1/events</c>) open at once, all users together. Default 200.</summary>
    public int EventStreams { get; set; } = 200;

    /// <summary>Event streams open at once per user. Default 5.</summary>
    public int EventStreamsPerUser { get; set; } = 5;

    /// <summary>How long refusals of one client are counted before their count is written as one audit entry. Default 1m.</summary>
    public TimeSpan RefusalWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Refusing clients tracked at once (address, user, reason); refusals of any other are counted together as "other sources". Default 100.</summary>
    public int RefusalSources { get; set; } = 100;
}
