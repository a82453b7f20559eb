using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Core.Signals;
using Rewind.Runtime.Runbooks;
using Rewind.Runtime.Signals;
using Rewind.Runtime.Tests.Signals;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Runbooks;

public sealed class WaitHealthyStepRunnerTests : IAsyncLifetime
{
    private int _recoveringRequests;
    private LoopbackApp _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackApp.StartAsync(app =>
        {
            app.MapGet("/ok", () => Results.Json(new { status = "ok" }));
            app.MapGet("/down", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
            // Fails its first three requests, then passes: a service coming back after a restart.
            app.MapGet("/recovering", () => Interlocked.Increment(ref _recoveringRequests) <= 3
                ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
                : Results.Json(new { status = "ok" }));
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RunAsync_ProbesRecover_SucceedsAfterConsecutivePasses()
    {
        var runner = Runner(("health", "/recovering"), ("home", "/ok"));

        var outcome = await runner.RunAsync(new WaitHealthyStep("api", ["health", "home"], 2, TimeSpan.FromSeconds(20)));

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldContain("health passed 2/2");
        outcome.Output.ShouldContain("home passed 2/2");
        _recoveringRequests.ShouldBe(5);
    }

    [Fact]
    public async Task RunAsync_NeverHealthy_FailsWithLastErrorAfterTimeout()
    {
        var runner = Runner(("health", "/down"), ("home", "/ok"));

        var outcome = await runner.RunAsync(new WaitHealthyStep("api", ["health", "home"], 3, TimeSpan.FromSeconds(1)));

        outcome.Succeeded.ShouldBeFalse();
        outcome.Output.ShouldBe("api not healthy within 1s: health 0/3 passes, last error: status 503, expected 200");
    }

    [Fact]
    public async Task RunAsync_UnknownProbe_FailsAtOnce()
    {
        var runner = Runner(("health", "/ok"));

        var outcome = await runner.RunAsync(new WaitHealthyStep("api", ["health", "ready"], 1, TimeSpan.FromMinutes(5)));

        outcome.ShouldBe(StepOutcome.Failure("api has no probe named ready"));
    }

    [Fact]
    public async Task RunAsync_CallerCancellation_Throws()
    {
        var runner = Runner(("health", "/down"));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(
            () => runner.RunAsync(new WaitHealthyStep("api", ["health"], 1, TimeSpan.FromMinutes(5)), cancellation.Token));
    }

    [Fact]
    public async Task RunAsync_PlannedProbeStoredWithoutItsPassword_TakesItFromTheConfigInForce()
    {
        var full = "postgres://app:hunter2@db.internal/orders";
        var planned = new WaitHealthyStep("api", ["db"], 1, TimeSpan.FromSeconds(5), Probes("db", full)).WithoutUrlPasswords();
        var probe = new RecordingProbe();

        var outcome = await new WaitHealthyStepRunner(probe, _ => Probes("db", full)).RunAsync(planned);

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        probe.Urls.ShouldAllBe(url => url == full);
    }

    [Theory]
    [InlineData("postgres://app:hunter2@db2.internal/orders")]
    [InlineData(null)]
    public async Task RunAsync_PlannedProbeWithoutItsPasswordAndNoSuchProbeInForce_FailsWithoutProbing(string? inForce)
    {
        var planned = new WaitHealthyStep("api", ["db"], 1, TimeSpan.FromSeconds(5), Probes("db", "postgres://app:hunter2@db.internal/orders")).WithoutUrlPasswords();
        var probe = new RecordingProbe();

        var outcome = await new WaitHealthyStepRunner(probe, _ => inForce is null ? null : Probes("db", inForce)).RunAsync(planned);

        outcome.ShouldBe(StepOutcome.Failure("probe db: the store keeps postgres://app:***@db.internal:5432/orders without its password, and the config in force has no probe db with that URL to take it from"));
        probe.Urls.ShouldBeEmpty();
    }

    private static Dictionary<string, ProbeConfig> Probes(string name, string postgresUrl) =>
        new(StringComparer.Ordinal) { [name] = new ProbeConfig { Postgres = new PostgresProbeConfig { Url = postgresUrl } } };

    private WaitHealthyStepRunner Runner(params (string Name, string Path)[] probes)
    {
        var configs = probes.ToDictionary(p => p.Name, p => HttpProbeTests.Probe(_server.BaseUrl + p.Path), StringComparer.Ordinal);
        return new WaitHealthyStepRunner(new HttpProbe(), component => component == "api" ? configs : null);
    }

    /// <summary>Passes every run and keeps the URL it was given.</summary>
    private sealed class RecordingProbe : IProbe
    {
        private readonly List<string> _urls = [];

        public IReadOnlyList<string> Urls
        {
            get
            {
                lock (_urls)
                {
                    return [.. _urls];
                }
            }
        }

        public Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default)
        {
            lock (_urls)
            {
                _urls.Add(config.Url()!);
            }

            return Task.FromResult(new ProbeSample(component, probe, DateTimeOffset.UnixEpoch, true, 1));
        }
    }
}
