using System.Diagnostics;
using System.Globalization;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Tracing;

/// <summary>
/// The one <see cref="ActivitySource"/> of Rewind's engine and I/O edge, named <c>Rewind</c>: a host that listens to it
/// (the server, when traces are exported) gets a trace per rollback; with no listener every call here returns null and
/// costs a check. Process runs and HTTP calls become spans only inside a traced operation (a rollback step, an API
/// request), never on their own, so the probe and scrape loops add nothing.
/// </summary>
public static class RewindTracing
{
    /// <summary>The source's name, which a host adds to its tracer to receive Rewind's spans.</summary>
    public const string SourceName = "Rewind";

    public static ActivitySource Source { get; } = new(SourceName, typeof(RewindTracing).Assembly.GetName().Version?.ToString(3));

    /// <summary>
    /// A span of a process run under the current one: its name and attributes carry argv[0] only, never an argument or
    /// the environment, which may carry secrets. Null outside a traced operation.
    /// </summary>
    public static Activity? StartProcess(ProcessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Activity.Current is null || !Source.HasListeners())
        {
            return null;
        }

        var executable = request.Secrets.Redact(request.Argv[0]);
        var name = Path.GetFileName(executable);
        var span = Source.StartActivity("exec " + name, ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(TraceAttributes.ProcessExecutableName, name);
            if (Path.IsPathRooted(executable))
            {
                span.SetTag(TraceAttributes.ProcessExecutablePath, executable);
            }
        }

        return span;
    }

    /// <summary>Records how the process ended: its exit code, and an error status when it failed, timed out or did not start.</summary>
    public static void Ended(Activity? span, ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        if (result.ExitCode is { } code)
        {
            span.SetTag(TraceAttributes.ProcessExitCode, code);
        }

        if (result.TimedOut)
        {
            span.SetTag(TraceAttributes.ErrorType, "timeout");
            span.SetStatus(ActivityStatusCode.Error, "timed out");
        }
        else if (!result.Succeeded)
        {
            span.SetTag(TraceAttributes.ErrorType, result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "not started");
            span.SetStatus(ActivityStatusCode.Error, result.ExitCode is { } exit ? $"exit code {exit.ToString(CultureInfo.InvariantCulture)}" : "not started");
        }
    }

    /// <summary>A URL as a span may carry it: scheme, host, port and path; never its user info, query or fragment.</summary>
    public static string SafeUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "";
    }
}
