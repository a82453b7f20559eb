namespace Rewind.Core.Configuration;

/// <summary>
/// <c>server.telemetry</c>: traces of rollbacks and API requests, exported over OTLP. Read when the controller starts (a reload keeps it: <see cref="RestartSettings"/>).
/// Without <see cref="Otlp"/> and without the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or
/// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) variable nothing is exported and no span is made.
/// </summary>
public sealed class TelemetryConfig
{
    /// <summary>The <c>service.name</c> resource attribute the spans carry. Default <c>rewind</c> (or <c>OTEL_SERVICE_NAME</c>).</summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// The fraction of traces kept, 0 to 1, decided at each trace's root (a request that arrives with a sampled
    /// <c>traceparent</c> is kept). Default 1: every rollback is traced.
    /// </summary>
    public double SampleRatio { get; set; } = 1;

    /// <summary>Where the spans go. Default none: the <c>OTEL_EXPORTER_OTLP_*</c> variables decide.</summary>
    public OtlpConfig? Otlp { get; set; }
}

/// <summary><c>server.telemetry.otlp</c>: an OTLP receiver (an OpenTelemetry Collector, an agent, a vendor's endpoint).</summary>
public sealed class OtlpConfig
{
    /// <summary>The protocol names accepted by <see cref="Protocol"/>.</summary>
    public static readonly IReadOnlyList<string> Protocols = ["grpc", "http/protobuf"];

    /// <summary>
    /// The receiver's base URL, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes it: <c>http://collector:4318</c> for
    /// http/protobuf (<c>/v1/traces</c> is added), <c>http://collector:4317</c> for grpc. Required.
    /// </summary>
    public string Endpoint { get; set; } = "";

    /// <summary><c>http/protobuf</c> (the default, as the OpenTelemetry specification has it) or <c>grpc</c>.</summary>
    public string Protocol { get; set; } = "http/protobuf";

    /// <summary>
    /// Headers sent with every export, each value read from the environment variable named here (an API key never sits
    /// in the file): <c>{ x-api-key: COLLECTOR_API_KEY }</c>. Default none.
    /// </summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long one export may take before it is given up (its spans dropped). Default 10s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
