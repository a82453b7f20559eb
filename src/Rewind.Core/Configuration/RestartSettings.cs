namespace Rewind.Core.Configuration;

/// <summary>
/// The settings a running controller cannot change (its listener, its store, its lease, routes mapped at start): a
/// reload keeps their running values and says which of them changed in the file, and where, so the operator knows a
/// restart is due. Everything else in the config is applied by a reload.
/// </summary>
public static class RestartSettings
{
    private static readonly (string Key, Func<RewindConfig, string> Value)[] Settings =
    [
        ("store", c => c.Store),
        ("server.listen", c => c.Server.Listen),
        ("server.tls", c => c.Server.Tls is { } tls ? $"{tls.Certificate}\n{tls.Key}" : ""),
        ("server.leader-lease", c => c.Server.LeaderLease.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("server.metrics-require-token", c => c.Server.MetricsRequireToken ? "true" : "false"),
        ("server.limits.refusal-window", c => c.Server.Limits.RefusalWindow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("server.limits.refusal-sources", c => c.Server.Limits.RefusalSources.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("server.telemetry", c => Telemetry(c.Server.Telemetry)),
    ];

    /// <summary>The keys that need a restart, in the order of the configuration reference.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Settings.Select(s => s.Key)];

    /// <summary>Each key whose value in <paramref name="next"/> differs from the running one, with where <paramref name="next"/> writes it.</summary>
    public static IReadOnlyList<(string Key, ConfigPosition Position)> Changed(RewindConfig running, RewindConfig next)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(next);
        return [.. Settings.Where(s => !string.Equals(s.Value(running), s.Value(next), StringComparison.Ordinal)).Select(s => (s.Key, next.PositionOf(s.Key)))];
    }

    /// <summary>Puts the running values of the restart-only settings into <paramref name="next"/>, a config not yet in force.</summary>
    public static void KeepRunning(RewindConfig running, RewindConfig next)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(next);
        next.Store = running.Store;
        next.Server.Listen = running.Server.Listen;
        next.Server.Tls = running.Server.Tls;
        next.Server.LeaderLease = running.Server.LeaderLease;
        next.Server.MetricsRequireToken = running.Server.MetricsRequireToken;
        next.Server.Limits.RefusalWindow = running.Server.Limits.RefusalWindow;
        next.Server.Limits.RefusalSources = running.Server.Limits.RefusalSources;
        next.Server.Telemetry = running.Server.Telemetry;
    }

    /// <summary>The telemetry section as one comparable text (the names of header variables, never their values).</summary>
    private static string Telemetry(TelemetryConfig telemetry) =>
        string.Join('\n',
            telemetry.ServiceName ?? "",
            telemetry.SampleRatio.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            telemetry.Otlp is { } otlp
                ? string.Join('\n', otlp.Endpoint, otlp.Protocol, otlp.Timeout.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    string.Join(',', otlp.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}={h.Value}")))
                : "");

    /// <summary>Records where the file writes each restart-only key (or the section that would hold it).</summary>
    internal static void Locate(RewindConfig config, string file, ConfigPositions positions)
    {
        ConfigPosition At(object owner, string key)
        {
            var mark = positions.Of(owner, key);
            return new ConfigPosition(file, (int)mark.Line, (int)mark.Column);
        }

        config.Positions["store"] = At(config, "store");
        config.Positions["server.listen"] = At(config.Server, "listen");
        config.Positions["server.tls"] = At(config.Server, "tls");
        config.Positions["server.leader-lease"] = At(config.Server, "leader-lease");
        config.Positions["server.metrics-require-token"] = At(config.Server, "metrics-require-token");
        config.Positions["server.limits.refusal-window"] = At(config.Server.Limits, "refusal-window");
        config.Positions["server.limits.refusal-sources"] = At(config.Server.Limits, "refusal-sources");
        config.Positions["server.telemetry"] = At(config.Server, "telemetry");
        foreach (var (name, channel) in config.Notifications.Channels)
        {
            foreach (var (owner, key) in new (object?, string)[] { (channel.Webhook, "secret-env"), (channel.Email, "username-env"), (channel.Email, "password-env") })
            {
                if (owner is not null)
                {
                    config.Positions[$"notifications.channels.{name}.{(owner is WebhookChannelConfig ? "webhook" : "email")}.{key}"] = At(owner, key);
                }
            }
        }
    }
}
