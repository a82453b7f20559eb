using System.Net;
using System.Text.Json;
using Rewind.Core.Signals;
using Rewind.Server.Tests.Notifications;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Signals;

/// <summary>
/// A real controller driven past its capacity: two runs at once allowed, 30 components probed every second against a
/// real loopback target that answers healthy after 300 ms. Most runs cannot start on time.
/// </summary>
public sealed class PastCapacityTests
{
    private const int Components = 30;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PastCapacity_RunsAreNotMeasured_NoIncidentOpens_TheControllerPagesOnceAboutItself_AndOnceWhenItIsOver()
    {
        await using var target = await SwitchableEndpoint.StartAsync(healthy: true);
        target.Delay = TimeSpan.FromMilliseconds(300);
        var secretEnv = $"REWIND_TEST_HOOK_SECRET_{Guid.NewGuid():N}";
        var secret = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secretEnv, secret);
        await using var receiver = await WebhookReceiver.UpAsync(secret);
        const string policy = "{ down: { when: { probe: health, failing-for: 1s }, severity: P2, mode: notify } }";
        var components = string.Join("\n  ", Enumerable.Range(0, Components).Select(i =>
            $$"""c{{i:00}}: { provider: { release-dir: { path: c{{i:00}}, restart: ["true"] } }, probes: { health: { http: { url: "{{target.Url}}" }, interval: 1s, timeout: 1s } }, policies: {{policy}} }"""));
        var options = new RewindServerOptions
        {
            MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            FaultPageAfter = TimeSpan.FromSeconds(1),
            FaultQuietFor = TimeSpan.FromSeconds(2),
            MonitorHealth = new MonitorHealthOptions { Window = TimeSpan.FromSeconds(2) },
        };
        await using var server = await ServerFixture.StartAsync(
            serverExtra: "probes: { max-concurrent: 2, max-lateness: 900ms }", // a pause of the loaded test host is not overload
            components: components,
            extra: $"notifications: {{ channels: {{ hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }} }} }} }}",
            options: options);

        var started = receiver.Elapsed;
        var page = await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.FirstOrDefault(d => d.Event == "controller-fault")), Deadline, "the page about the controller's overload");
        page.Body.GetProperty("fault").GetProperty("kind").GetString().ShouldBe("controller-overloaded");
        var health = JsonDocument.Parse(await Eventually.WaitAsync(HealthAsync(server), Deadline, "the health answer to say so")).RootElement;
        health.GetProperty("title").GetString().ShouldBe("controller overloaded");
        health.GetProperty("monitor").GetProperty("notMeasured").GetInt32().ShouldBeGreaterThan(0);
        health.GetProperty("detail").GetString()!.ShouldContain("probe runs not measured");
        (await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).ShouldContain("rewind_probes_not_measured_total{reason=\"late\"}");

        // The target answers at once: everything fits in two slots again, and the end of the overload is paged.
        target.Delay = TimeSpan.Zero;
        await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.FirstOrDefault(d => d.Event == "controller-recovered")), Deadline, "the page that the overload is over");

        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty(); // no component was ever taken for down
        receiver.Deliveries.Select(d => (d.Event, d.Body.GetProperty("fault").GetProperty("kind").GetString())).ShouldBe(
            [("controller-fault", "controller-overloaded"), ("controller-recovered", "controller-overloaded")]);
        (await server.Client.GetHealthAsync()).Monitor.NotMeasuredTotal.ShouldBeGreaterThan(0);
        Console.WriteLine($"past capacity: server up {started.TotalSeconds:0.0} s, paged {(receiver.Deliveries[0].ArrivedAfter - started).TotalSeconds:0.0} s after, recovery paged {(receiver.Deliveries[1].ArrivedAfter - started).TotalSeconds:0.0} s after");
    }

    /// <summary>The health answer while the controller is overloaded: 503 problem details naming the fault and the monitor's counts.</summary>
    private static Func<Task<string?>> HealthAsync(ServerFixture server) => async () =>
    {
        using var answer = await server.Http.GetAsync(new Uri("api/v1/health", UriKind.Relative));
        if (answer.StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }

        return await answer.Content.ReadAsStringAsync();
    };
}
