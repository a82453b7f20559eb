namespace Rewind.Core.Signals;

/// <summary>
/// Sorts the error texts of the HTTP, TCP, command and PostgreSQL probes into <see cref="ProbeErrorKind"/>s, and says
/// which kinds a saturated controller can produce by itself.
/// </summary>
public static class ProbeErrors
{
    /// <summary>The kind of failure an error text describes; <see cref="ProbeErrorKind.None"/> for no error.</summary>
    public static ProbeErrorKind Classify(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return ProbeErrorKind.None;
        }

        return error switch
        {
            _ when Starts(error, "timeout after") || Starts(error, "timed out after") || error == "TimedOut" => ProbeErrorKind.Timeout,
            _ when Starts(error, "slow:") => ProbeErrorKind.Slow,
            _ when Starts(error, "connection refused") || error == "ConnectionRefused" => ProbeErrorKind.ConnectionRefused,
            _ when Starts(error, "name resolution failed") || error is "HostNotFound" or "TryAgain" or "NoData" => ProbeErrorKind.Dns,
            _ when Starts(error, "status ") => ProbeErrorKind.HttpStatus,
            _ when Starts(error, "body ") || Starts(error, "json field ") => ProbeErrorKind.Body,
            _ when Starts(error, "exit ") || Starts(error, "did not start:") => ProbeErrorKind.Exit,
            _ when Starts(error, "query ") || error == "no rows" => ProbeErrorKind.Query,
            _ when Starts(error, "TLS failed") || error.Contains("certificate", StringComparison.OrdinalIgnoreCase) => ProbeErrorKind.Tls,
            _ when Starts(error, "connection ") || error is "HostUnreachable" or "NetworkUnreachable" or "ConnectionReset" or "ConnectionAborted" or "HostDown" or "NetworkDown" => ProbeErrorKind.Connection,
            _ => ProbeErrorKind.Other,
        };
    }

    /// <summary>
    /// True for the kinds that are an answer from the service itself (refused, an HTTP status, a body, a TLS
    /// certificate, a query result): an overloaded controller cannot make them up. Timeouts, slow answers, name
    /// resolution, other connection failures, command exits (the command runs on the controller's host) and unknown
    /// errors can all be the controller's own lateness.
    /// </summary>
    public static bool IsAnswer(ProbeErrorKind kind) =>
        kind is ProbeErrorKind.ConnectionRefused or ProbeErrorKind.HttpStatus or ProbeErrorKind.Body or ProbeErrorKind.Tls or ProbeErrorKind.Query;

    /// <summary>The kind in the words of a timeline entry.</summary>
    public static string Describe(ProbeErrorKind kind) => kind switch
    {
        ProbeErrorKind.None => "none",
        ProbeErrorKind.Timeout => "timeout",
        ProbeErrorKind.Slow => "slow answer",
        ProbeErrorKind.ConnectionRefused => "connection refused",
        ProbeErrorKind.Dns => "DNS",
        ProbeErrorKind.Connection => "connection failed",
        ProbeErrorKind.Tls => "TLS",
        ProbeErrorKind.HttpStatus => "HTTP status",
        ProbeErrorKind.Body => "body mismatch",
        ProbeErrorKind.Exit => "command exit",
        ProbeErrorKind.Query => "query",
        _ => "other",
    };

    private static bool Starts(string error, string prefix) => error.StartsWith(prefix, StringComparison.Ordinal);
}
