using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rewind.Core.Configuration;
using Rewind.Engine;
using Rewind.Runtime.Tracing;

namespace Rewind.Server.Hosting;

/// <summary>
/// Exports traces over OTLP when <c>server.telemetry.otlp</c> or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> /
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> variables say where: the rollbacks' spans (the <c>Rewind</c> source) and
/// one server span per request. Spans leave through the SDK's batch processor: a bounded queue (2048 spans, then spans
/// are dropped) that a background thread exports, so a receiver that is slow or down never holds up a request or a
/// rollback. Without either, no listener exists and no span is made.
/// </summary>
internal static class Telemetry
{
    /// <summary>Registers the tracer when a receiver is configured; nothing otherwise.</summary>
    public static IServiceCollection AddRewindTelemetry(this IServiceCollection services, TelemetryConfig config, Func<string, string?> environment)
    {
        if (config.Otlp is null && !Configured(environment("OTEL_EXPORTER_OTLP_ENDPOINT")) && !Configured(environment("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")))
        {
            return services;
        }

        var headers = config.Otlp is { } otlp ? Headers(otlp, environment) : null; // a missing variable stops the start
        services.AddOpenTelemetry()
            .ConfigureResource(resource => Describe(resource, config, environment))
            .WithTracing(tracing =>
            {
                tracing.AddSource(RewindTracing.SourceName).AddAspNetCoreInstrumentation(Requests);
                if (config.SampleRatio < 1)
                {
                    tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(config.SampleRatio)));
                }

                tracing.AddOtlpExporter(options =>
                {
                    if (config.Otlp is { } target)
                    {
                        Aim(options, target, headers!);
                    }
                });
            });
        return services;
    }

    /// <summary>The receiver of <c>server.telemetry.otlp</c>; what it leaves out, the <c>OTEL_EXPORTER_OTLP_*</c> variables may set.</summary>
    private static void Aim(OtlpExporterOptions options, OtlpConfig otlp, string headers)
    {
        var grpc = otlp.Protocol == "grpc";
        options.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        var endpoint = otlp.Endpoint.TrimEnd('/');
        // As OTEL_EXPORTER_OTLP_ENDPOINT: the base URL, to which http/protobuf adds the signal's path.
        options.Endpoint = new Uri(grpc || endpoint.EndsWith("/v1/traces", StringComparison.Ordinal) ? endpoint : endpoint + "/v1/traces");
        options.TimeoutMilliseconds = (int)otlp.Timeout.TotalMilliseconds;
        if (headers.Length > 0)
        {
            options.Headers = headers;
        }
    }

    /// <summary>
    /// <c>name=value,…</c> with each value read from the variable the config names and percent-encoded as the OTLP
    /// exporter reads it.
    /// </summary>
    private static string Headers(OtlpConfig otlp, Func<string, string?> environment)
    {
        var pairs = new List<string>();
        foreach (var (name, variable) in otlp.Headers)
        {
            var value = environment(variable);
            if (string.IsNullOrEmpty(value))
            {
                throw new RewindStartException($"server.telemetry.otlp.headers.{name}: environment variable {variable} is not set");
            }

            if (value.Contains(',', StringComparison.Ordinal))
            {
                throw new RewindStartException($"server.telemetry.otlp.headers.{name}: the value of {variable} holds a comma, which the OTLP exporter cannot send in a header");
            }

            pairs.Add($"{name}={Uri.EscapeDataString(value)}");
        }

        return string.Join(',', pairs);
    }

    /// <summary><c>service.name</c> (the config's, else <c>OTEL_SERVICE_NAME</c>, else <c>rewind</c>) and <c>service.version</c>.</summary>
    private static void Describe(ResourceBuilder resource, TelemetryConfig config, Func<string, string?> environment)
    {
        var version = typeof(Telemetry).Assembly.GetName().Version?.ToString(3);
        if (config.ServiceName is { } name)
        {
            resource.AddService(name, serviceVersion: version);
        }
        else if (!Configured(environment("OTEL_SERVICE_NAME")))
        {
            resource.AddService("rewind", serviceVersion: version);
        }
    }

    /// <summary>
    /// A server span per request (route, method, status, the authenticated user's name), except Prometheus's scrapes
    /// of <c>/metrics</c>; the query string is left out (a dashboard stream may carry a token there).
    /// </summary>
    private static void Requests(AspNetCoreTraceInstrumentationOptions options)
    {
        options.Filter = context => !context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal);
        options.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
        options.EnrichWithHttpResponse = (activity, response) =>
        {
            if (response.HttpContext.User.Identity is { IsAuthenticated: true, Name: { } user })
            {
                activity.SetTag(TraceAttributes.UserName, user);
            }
        };
    }

    private static bool Configured(string? value) => !string.IsNullOrWhiteSpace(value);
}
