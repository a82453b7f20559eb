using System.Text.RegularExpressions;

namespace Rewind.Core.Configuration;

internal static partial class ConfigValidator
{
    /// <summary><c>server.telemetry</c>: a ratio, a service name, and an OTLP receiver that can be reached as written.</summary>
    private static void ValidateTelemetry(TelemetryConfig telemetry, Action<object, string?, string> add)
    {
        if (telemetry.SampleRatio is < 0 or > 1 || double.IsNaN(telemetry.SampleRatio))
        {
            add(telemetry, "sample-ratio", "server.telemetry.sample-ratio: expected a fraction from 0 to 1 (1 traces every rollback)");
        }

        if (telemetry.ServiceName is { } name && string.IsNullOrWhiteSpace(name))
        {
            add(telemetry, "service-name", "server.telemetry.service-name: empty; leave it out for the default, rewind");
        }

        if (telemetry.Otlp is not { } otlp)
        {
            return;
        }

        if (!Uri.TryCreate(otlp.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            add(otlp, "endpoint", "server.telemetry.otlp.endpoint: expected the receiver's http:// or https:// URL, e.g. http://127.0.0.1:4318");
        }
        else if (endpoint.UserInfo.Length > 0 || endpoint.Query.Length > 0)
        {
            add(otlp, "endpoint", "server.telemetry.otlp.endpoint: no user or query in the URL; credentials go in headers, read from the environment");
        }

        if (!OtlpConfig.Protocols.Contains(otlp.Protocol, StringComparer.Ordinal))
        {
            add(otlp, "protocol", $"server.telemetry.otlp.protocol: '{otlp.Protocol}' is not one of {string.Join(", ", OtlpConfig.Protocols)}");
        }

        if (otlp.Timeout < TimeSpan.FromMilliseconds(100) || otlp.Timeout > TimeSpan.FromMinutes(1))
        {
            add(otlp, "timeout", $"server.telemetry.otlp.timeout: {Durations.Format(otlp.Timeout)} is outside 100ms..1m");
        }

        foreach (var (header, variable) in otlp.Headers)
        {
            if (!HeaderName().IsMatch(header))
            {
                add(otlp.Headers, header, $"server.telemetry.otlp.headers: '{header}' is not an HTTP header name");
            }
            else if (!EnvironmentName().IsMatch(variable))
            {
                add(otlp.Headers, header, $"server.telemetry.otlp.headers.{header}: the name of the environment variable holding its value, never the value itself");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex HeaderName();
}
