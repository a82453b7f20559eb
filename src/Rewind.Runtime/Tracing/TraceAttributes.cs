namespace Rewind.Runtime.Tracing;

/// <summary>
/// The attribute names of Rewind's spans: OpenTelemetry's semantic conventions where one exists (process, HTTP, URL,
/// server, error, user), <c>rewind.*</c> for the rest.
/// </summary>
public static class TraceAttributes
{
    public const string ProcessExecutableName = "process.executable.name";
    public const string ProcessExecutablePath = "process.executable.path";
    public const string ProcessExitCode = "process.exit.code";
    public const string HttpRequestMethod = "http.request.method";
    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string UrlFull = "url.full";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";
    public const string UserName = "user.name";

    public const string RollbackId = "rewind.rollback.id";
    public const string IncidentId = "rewind.incident.id";
    public const string Component = "rewind.component";
    public const string Policy = "rewind.policy";
    public const string RequestedBy = "rewind.requested_by";
    public const string FromVersion = "rewind.release.from";
    public const string ToVersion = "rewind.release.to";
    public const string Group = "rewind.group";
    public const string Resumed = "rewind.resumed";
    public const string Outcome = "rewind.outcome";
    public const string StepKind = "rewind.step.kind";
    public const string StepIndex = "rewind.step.index";
    public const string Approver = "rewind.approver";
}
