namespace Rewind.Core.Signals;

/// <summary>What kind of failure a probe saw, read from its error text: the unit in which failures are compared across components.</summary>
public enum ProbeErrorKind
{
    /// <summary>The probe passed.</summary>
    None,

    /// <summary>No answer within the probe's timeout (HTTP, TCP, PostgreSQL or a command that was killed).</summary>
    Timeout,

    /// <summary>An answer that came later than the probe's <c>max-latency</c>.</summary>
    Slow,

    /// <summary>The host answered that nothing listens on the port.</summary>
    ConnectionRefused,

    /// <summary>The name did not resolve.</summary>
    Dns,

    /// <summary>Any other failure to connect, or a connection that closed early.</summary>
    Connection,

    /// <summary>The TLS handshake or the certificate failed.</summary>
    Tls,

    /// <summary>The service answered with an unexpected HTTP status.</summary>
    HttpStatus,

    /// <summary>The service answered with a body that does not match what the probe expects.</summary>
    Body,

    /// <summary>A command probe exited with an unexpected code or did not start.</summary>
    Exit,

    /// <summary>A PostgreSQL probe's query failed or returned an unexpected value.</summary>
    Query,

    /// <summary>A failure the classifier does not know.</summary>
    Other,
}
