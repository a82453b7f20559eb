using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Rewind.Client;
using Rewind.Core.Access;
using Rewind.TestUtils;
using Rewind.TestUtils.Otlp;

namespace Rewind.Server.Tests.Hosting;

/// <summary>
/// A real controller exports to a real OTLP receiver (the official protocol definitions, decoded by Node.js): a rollback
/// that waits for an approval is one trace (decision, approval, run, steps, a process and an HTTP call), the API requests
/// are server spans with route, status and user, no secret reaches the export, and the log lines carry the trace id.
/// </summary>
public sealed class TraceExportTests : IAsyncDisposable
{
    private const string Variable = "REWIND_TEST_TRACE_TOKEN";
    private const string KeyVariable = "REWIND_TEST_OTLP_KEY";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _secret = "tr-" + Guid.NewGuid().ToString("N");
    private readonly string _key = "Key " + Guid.NewGuid().ToString("N");
    private readonly string _query = "q-" + Guid.NewGuid().ToString("N");
    private LoopbackApp? _app;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task ApprovedRollback_IsOneTraceAtTheReceiver_WithNoSecretAndItsIdInTheLog(string protocol)
    {
        Environment.SetEnvironmentVariable(Variable, _secret);
        Environment.SetEnvironmentVariable(KeyVariable, _key);
        _app = await LoopbackApp.StartAsync(web =>
        {
            web.MapGet("/health", () => Results.Ok());
            web.MapPost("/deploy", () => Results.Ok());
        });
        using var receiver = await OtlpReceiver.StartAsync();
        var log = new TraceLog();
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            probeUrl: _app.BaseUrl + "/health",
            serverExtra: $"telemetry: {{ service-name: rewind-test, otlp: {{ endpoint: \"{(protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint)}\", protocol: {protocol}, headers: {{ x-api-key: {KeyVariable} }} }} }}",
            componentExtra: Plan(_app.BaseUrl),
            extra: "approvals: [ { when: { policies: [manual] }, any-of: [approver] } ]",
            options: new RewindServerOptions { MinimumLogLevel = LogLevel.Information, LoggerProviders = [log] });
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        await server.Client.CreateUserAsync(new CreateUserRequest("carol", [Roles.Approver]));
        using var carol = server.HttpAs((await server.Client.CreateTokenAsync("carol", new CreateTokenRequest())).Token);

        var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
        await new RewindClient(carol).ApproveRollbackAsync(requested.Id);
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" or "succeeded" } r ? r : null, Deadline, "the rollback to finish");
        var port = server.Http.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (spans, request, trace) = await Eventually.WaitAsync<Export>(() => Task.FromResult(Exported(server, receiver, port)), Deadline, "the rollback's run at the receiver");

        done.Status.ShouldBe("succeeded", done.Error);
        (Attribute(request, "user.name"), Attribute(request, "http.response.status_code"), Attribute(request, "rewind.rollback.id")).ShouldBe(("alice", "202", requested.Id));
        RollbackTree([.. spans.Where(s => s.GetProperty("traceId").GetString() == trace)], requested);
        spans.ShouldContain(s => Attribute(s, "http.route") == "/api/v1/rollbacks/{id}/approve" && Attribute(s, "server.port") == port && Attribute(s, "user.name") == "carol");
        receiver.Received().ShouldContain(r => r.GetProperty("kind").GetString() == "request" && r.GetProperty("protocol").GetString() == protocol && r.GetProperty("headers").GetProperty("x-api-key").GetString() == _key);
        var text = receiver.SpanText();
        foreach (var secret in new[] { _secret, _key, _query, server.Http.DefaultRequestHeaders.Authorization!.Parameter!, carol.DefaultRequestHeaders.Authorization!.Parameter! })
        {
            text.ShouldNotContain(secret);
        }

        log.Lines.ShouldContain(l => l.TraceId == trace && l.Message.Contains($"Rollback {requested.Id} of web started", StringComparison.Ordinal));
    }

    /// <summary>decision → approval (carol's approval an event), decision → rollback → steps → the process and the HTTP call.</summary>
    private void RollbackTree(List<JsonElement> tree, RollbackDto requested)
    {
        var decision = Named(tree, "decision");
        decision.GetProperty("parentSpanId").GetString().ShouldBeEmpty();
        (Attribute(decision, "rewind.incident.id"), Attribute(decision, "rewind.component"), Attribute(decision, "rewind.requested_by")).ShouldBe((requested.IncidentId, "web", "alice"));
        decision.GetProperty("resource").GetProperty("service.name").GetString().ShouldBe("rewind-test");
        var approval = ChildOf(tree, decision, "approval");
        approval.GetProperty("events").EnumerateArray().ShouldContain(e => e.GetProperty("name").GetString() == "approved" && Attribute(e, "rewind.approver") == "carol");
        var run = ChildOf(tree, decision, "rollback");
        Attribute(run, "rewind.outcome").ShouldBe("succeeded");
        var command = ChildOf(tree, run, "step command");
        (Attribute(command, "rewind.step.kind"), Attribute(command, "rewind.rollback.id")).ShouldBe(("command", requested.Id));
        Attribute(ChildOf(tree, command, "exec echo"), "process.executable.name").ShouldBe("echo");
        var call = ChildOf(tree, ChildOf(tree, run, "step http"), "POST");
        (Attribute(call, "url.full"), Attribute(call, "http.response.status_code")).ShouldBe((_app!.BaseUrl + "/deploy", "200"));
        ChildOf(tree, ChildOf(tree, run, "step switch"), null, expected: 0);
    }

    [Fact]
    public async Task Rollback_WhileAnExportHangs_RunsToItsEnd()
    {
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(); // takes connections, never answers: a receiver that hangs
        var endpoint = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            serverExtra: $"telemetry: {{ otlp: {{ endpoint: \"{endpoint}\", timeout: 1m }} }}",
            componentExtra: "plan: [ { switch: {} }, { command: { argv: [/bin/echo, done] } } ]");
        try
        {
            await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
            // An export of these requests' spans, asked for now rather than at the next 5 s tick, is taken and left hanging.
            var flush = Task.Run(() => server.Service<TracerProvider>().ForceFlush(60_000));
            using var hanging = await silent.AcceptTcpClientAsync(new CancellationTokenSource(Deadline).Token);

            var requested = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "checkout errors"));
            var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(requested.Id) is { Status: "failed" or "succeeded" } r ? r : null, Deadline, "the rollback to finish");

            done.Status.ShouldBe("succeeded", done.Error);
            done.Steps.Select(s => (s.Kind, s.Status)).ShouldBe([("switch", "succeeded"), ("restart", "succeeded"), ("command", "succeeded")]);
            flush.IsCompleted.ShouldBeFalse("the export was still hanging while the rollback ran");
        }
        finally
        {
            silent.Stop(); // the exports at shutdown are refused at once instead of hanging too
        }
    }

    [Fact]
    public async Task Start_HeaderVariableNotSet_RefusesToStartNamingIt()
    {
        var yaml = """
            store: sqlite:rewind.db
            components: {}
            server:
              telemetry: { otlp: { endpoint: "http://127.0.0.1:9", headers: { x-api-key: REWIND_TEST_OTLP_KEY_THAT_IS_NOT_SET } } }
            """;
        var config = Core.Configuration.ConfigParser.Parse(yaml, "rewind.yaml", Path.GetTempPath()).Config!;

        var error = await Should.ThrowAsync<Engine.RewindStartException>(() => RewindServer.CreateAsync(config));

        error.Message.ShouldBe("server.telemetry.otlp.headers.x-api-key: environment variable REWIND_TEST_OTLP_KEY_THAT_IS_NOT_SET is not set");
    }

    /// <summary>
    /// Once the run (which ends after the rollback is recorded as finished) is there: every span, this controller's
    /// request for the rollback (other tests' controllers in this process may be traced meanwhile), and the trace of the
    /// decision linked to it.
    /// </summary>
    private static Export? Exported(ServerFixture server, OtlpReceiver receiver, string port)
    {
        server.Service<TracerProvider>().ForceFlush(5_000);
        var spans = receiver.Spans();
        if (spans.FirstOrDefault(s => Attribute(s, "http.route") == "/api/v1/rollbacks" && Attribute(s, "server.port") == port) is not { ValueKind: JsonValueKind.Object } request
            || spans.FirstOrDefault(s => s.GetProperty("name").GetString() == "decision" && s.GetProperty("links").EnumerateArray().Any(l => l.GetProperty("spanId").GetString() == request.GetProperty("spanId").GetString())) is not { ValueKind: JsonValueKind.Object } decision)
        {
            return null;
        }

        var trace = decision.GetProperty("traceId").GetString()!;
        return spans.Any(s => s.GetProperty("name").GetString() == "rollback" && s.GetProperty("traceId").GetString() == trace) ? new Export(spans, request, trace) : null;
    }

    private sealed record Export(IReadOnlyList<JsonElement> Spans, JsonElement Request, string Trace);

    private string Plan(string app) => $$$"""
        plan: [
                  { switch: {} },
                  { command: { argv: [/bin/echo, "deploying {{secret.{{{Variable}}}}}"] } },
                  { http: { url: "{{{app}}}/deploy?sig={{{_query}}}", headers: { Authorization: "Bearer {{secret.{{{Variable}}}}}" } } },
                  { wait-healthy: { timeout: 20s } }
                ]
        """;

    private static JsonElement Named(IEnumerable<JsonElement> spans, string name) =>
        spans.Where(s => s.GetProperty("name").GetString() == name).ShouldHaveSingleItem(name);

    private static JsonElement ChildOf(IEnumerable<JsonElement> spans, JsonElement parent, string? name, int expected = 1)
    {
        var children = spans.Where(s => s.GetProperty("parentSpanId").GetString() == parent.GetProperty("spanId").GetString() && (name is null || s.GetProperty("name").GetString() == name)).ToList();
        children.Count.ShouldBe(expected, $"children named {name ?? "anything"} of {parent.GetProperty("name").GetString()}");
        return children.FirstOrDefault();
    }

    private static string? Attribute(JsonElement span, string key) =>
        span.GetProperty("attributes").TryGetProperty(key, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    /// <summary>What each log entry said, with the trace id of the span it was written in (the scope every provider gets).</summary>
    private sealed class TraceLog : ILoggerProvider, ISupportExternalScope
    {
        private readonly List<(string Message, string? TraceId)> _lines = [];
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<(string Message, string? TraceId)> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private void Add(string message)
        {
            string? trace = null;
            _scopes.ForEachScope(
                (scope, _) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.FirstOrDefault(p => p.Key == "TraceId") is { Value: { } id })
                    {
                        trace = id.ToString();
                    }
                },
                (object?)null);
            lock (_lines)
            {
                _lines.Add((message, trace));
            }
        }

        private sealed class Logger(TraceLog log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => log._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Add(formatter(state, exception));
        }
    }
}
