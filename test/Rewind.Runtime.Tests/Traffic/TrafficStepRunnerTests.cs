using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Runbooks;
using Rewind.Runtime.Traffic;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Traffic;

/// <summary>
/// The traffic and maintenance steps against a real HAProxy balancing four real HTTP servers that answer their own name:
/// <c>green-1</c> and <c>green-2</c> (weight 100, the release being rolled back) and <c>blue-1</c> and <c>blue-2</c>
/// (weight 0, the known-good release). Each server's <c>/health</c> answers 200 or 503 as the test says.
/// </summary>
public sealed class TrafficStepRunnerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private static readonly string[] Blue = ["blue-1", "blue-2"];
    private static readonly string[] Green = ["green-1", "green-2"];
    private readonly Dictionary<string, LoopbackApp> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _healthy = new(StringComparer.Ordinal);
    private HaproxyProcess _haproxy = null!;
    private HaproxyRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        foreach (var name in Green.Concat(Blue))
        {
            _healthy[name] = true;
            _apps[name] = await LoopbackApp.StartAsync(app =>
            {
                app.MapGet("/", () => name);
                app.MapGet("/health", () => _healthy[name] ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
            });
        }

        _haproxy = await HaproxyProcess.StartAsync([.. Green.Select(n => (n, Port(n), 100)), .. Blue.Select(n => (n, Port(n), 0))]);
        _runtime = new HaproxyRuntime(_haproxy.AdminSocket);
    }

    public async Task DisposeAsync()
    {
        if (_haproxy is not null)
        {
            await _haproxy.DisposeAsync();
        }

        foreach (var app in _apps.Values)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunAsync_HealthyTargets_AppliesEveryStageInOrderAndSendsAllTrafficToThem()
    {
        var step = Step([25, 50, 75, 100], gate: TimeSpan.FromMilliseconds(200), timeout: TimeSpan.FromSeconds(30));
        await using var watch = await WeightWatch.StartAsync(_runtime);

        var outcome = await new TrafficStepRunner().RunAsync(step);

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldEndWith("stage 4/4 100% (blue-1=256, blue-2=256, green-1=0, green-2=0): every to server Up through the 200ms gate; all traffic of app on [blue-1, blue-2]");
        (await watch.StopAsync()).ShouldBe([
            "blue-1=0 blue-2=0 green-1=100 green-2=100",
            "blue-1=64 blue-2=64 green-1=192 green-2=192",
            "blue-1=128 blue-2=128 green-1=128 green-2=128",
            "blue-1=192 blue-2=192 green-1=64 green-2=64",
            "blue-1=256 blue-2=256 green-1=0 green-2=0",
        ]);
        Weights(await _runtime.GetServersAsync("app")).ShouldBe("blue-1=256 blue-2=256 green-1=0 green-2=0");
        var answers = await _haproxy.AnswersAsync(40);
        answers.ShouldAllBe(name => name.StartsWith("blue-", StringComparison.Ordinal));
        answers.Distinct().Order().ShouldBe(Blue);
    }

    [Fact]
    public async Task RunAsync_ToServerDownUntilTimeout_FailsWithoutMovingAnyWeight()
    {
        _healthy["blue-2"] = false;
        await WaitForAsync(s => s.Single(x => x.Name == "blue-2").Status == HaproxyServerStatus.Down, "blue-2 to be down");
        await using var watch = await WeightWatch.StartAsync(_runtime);

        var outcome = await new TrafficStepRunner().RunAsync(Step([25, 50, 75, 100], TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)));

        outcome.Succeeded.ShouldBeFalse();
        outcome.Output.ShouldBe("timeout 1s reached waiting for to servers to be Up with a passing check: blue-2 (Down, last check L7STS); no weight moved");
        (await watch.StopAsync()).ShouldBe(["blue-1=0 blue-2=0 green-1=100 green-2=100"]);
    }

    [Fact]
    public async Task RunAsync_ToServerDownAtStart_WaitsForItAndShiftsOnceItIsUp()
    {
        _healthy["blue-2"] = false;
        await WaitForAsync(s => s.Single(x => x.Name == "blue-2").Status == HaproxyServerStatus.Down, "blue-2 to be down");
        await using var watch = await WeightWatch.StartAsync(_runtime);

        var running = new TrafficStepRunner().RunAsync(Step([50, 100], TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30)));

        // A fixed pause on purpose: it is the time the runner gets to (wrongly) move weight onto the down server.
#pragma warning disable RS0030 // the time the runner gets to misbehave (see above); nothing to wait for
        await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(500)));
#pragma warning restore RS0030
        running.IsCompleted.ShouldBeFalse("the step waits while a to server is down");
        watch.Seen.ShouldBe(["blue-1=0 blue-2=0 green-1=100 green-2=100"]);
        _healthy["blue-2"] = true;
        var outcome = await running;

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldStartWith("to servers Up in HAProxy after ");
        (await watch.StopAsync()).ShouldBe([
            "blue-1=0 blue-2=0 green-1=100 green-2=100",
            "blue-1=128 blue-2=128 green-1=128 green-2=128",
            "blue-1=256 blue-2=256 green-1=0 green-2=0",
        ]);
    }

    /// <remarks>
    /// The gate is long so that the server surely goes down inside the first one; the failure ends the step, so the test
    /// takes as long as HAProxy needs to see the failed check (a few hundred milliseconds), not the gate.
    /// </remarks>
    [Fact]
    public async Task RunAsync_ToServerGoesDownDuringAGate_FailsAndSetsBackThePreviousStage()
    {
        var running = new TrafficStepRunner().RunAsync(Step([50, 100], TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)));
        await WaitForAsync(s => Weights(s) == "blue-1=128 blue-2=128 green-1=128 green-2=128", "the first stage to be applied");
        _healthy["blue-1"] = false;

        var outcome = await running;

        outcome.Succeeded.ShouldBeFalse();
        outcome.Output.ShouldContain("to servers not Up with a passing check during the 5s gate of stage 1/2 50% (blue-1=128, blue-2=128, green-1=128, green-2=128): blue-1 (");
        outcome.Output.ShouldEndWith("last check L7STS); weights set back to 0% (blue-1=0, blue-2=0, green-1=256, green-2=256)");
        Weights(await _runtime.GetServersAsync("app")).ShouldBe("blue-1=0 blue-2=0 green-1=256 green-2=256");
        (await _haproxy.AnswersAsync(20)).ShouldAllBe(name => name.StartsWith("green-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WeightsAlreadyAtAStage_CarriesOnFromThatStage()
    {
        foreach (var (server, weight) in new[] { ("blue-1", 128), ("blue-2", 128), ("green-1", 128), ("green-2", 128) })
        {
            await _runtime.SetWeightAsync("app", server, weight);
        }

        await using var watch = await WeightWatch.StartAsync(_runtime);

        var outcome = await new TrafficStepRunner().RunAsync(Step([25, 50, 75, 100], TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30)));

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        outcome.Output.ShouldStartWith("weights already at stage 2/4 50% (blue-1=128, blue-2=128, green-1=128, green-2=128): carrying on from there");
        (await watch.StopAsync()).ShouldBe([
            "blue-1=128 blue-2=128 green-1=128 green-2=128",
            "blue-1=192 blue-2=192 green-1=64 green-2=64",
            "blue-1=256 blue-2=256 green-1=0 green-2=0",
        ]);
    }

    [Fact]
    public async Task RunAsync_ServerNotInTheBackend_FailsBeforeMovingAnyWeight()
    {
        var step = Step([100], TimeSpan.Zero, TimeSpan.FromSeconds(5)) with { To = ["blue-1", "blue-9"] };

        var outcome = await new TrafficStepRunner().RunAsync(step);

        outcome.Output.ShouldBe("backend app has no server blue-9 (its servers: green-1, green-2, blue-1, blue-2); no weight moved");
        Weights(await _runtime.GetServersAsync("app")).ShouldBe("blue-1=0 blue-2=0 green-1=100 green-2=100");
    }

    [Fact]
    public async Task MaintenanceRunAsync_MaintThenReady_IsReadBackAndRunningItAgainChangesNothing()
    {
        var runner = new MaintenanceStepRunner();
        var maint = new MaintenanceStep(_haproxy.AdminSocket, "app", Green, MaintenanceState.Maint);

        var first = await runner.RunAsync(maint);
        var again = await runner.RunAsync(maint);

        first.Succeeded.ShouldBeTrue(first.Output);
        first.Output.ShouldMatch(@"^set maint on \[green-1, green-2\]; HAProxy reports green-1 \(Maint, last check \w+\), green-2 \(Maint, last check \w+\)$");
        again.Output.ShouldStartWith("every server already maint; ");
        (await _runtime.GetServersAsync("app")).Where(s => Green.Contains(s.Name)).ShouldAllBe(s => s.Status == HaproxyServerStatus.Maint && s.Admin == HaproxyAdminState.ForcedMaint);
        using (var http = new HttpClient())
        {
            (await http.GetAsync(new Uri(_haproxy.FrontendUrl + "/"))).StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable, "green in maintenance and blue at weight 0: no server takes traffic");
        }

        var ready = await runner.RunAsync(maint with { State = MaintenanceState.Ready });

        ready.Succeeded.ShouldBeTrue(ready.Output);
        ready.Output.ShouldStartWith("set ready on [green-1, green-2]; ");
        (await _runtime.GetServersAsync("app")).ShouldAllBe(s => s.Admin == HaproxyAdminState.None);
        await WaitForAsync(s => s.All(x => x.Status == HaproxyServerStatus.Up), "every server up after maintenance");
    }

    [Fact]
    public async Task MaintenanceRunAsync_Drain_IsReadBackAsDrain()
    {
        var outcome = await new MaintenanceStepRunner().RunAsync(new MaintenanceStep(_haproxy.AdminTcp, "app", ["green-1"], MaintenanceState.Drain));

        outcome.Succeeded.ShouldBeTrue(outcome.Output);
        (await _runtime.GetServersAsync("app")).Single(s => s.Name == "green-1").Status.ShouldBe(HaproxyServerStatus.Drain);
    }

    private TrafficStep Step(List<int> steps, TimeSpan gate, TimeSpan timeout) => TrafficStep.Resolve(
        new TrafficStepConfig
        {
            Haproxy = new HaproxyConfig { Socket = _haproxy.AdminSocket, Backend = "app" },
            To = [.. Blue],
            From = [.. Green],
            Steps = steps,
            Gate = gate,
            Timeout = timeout,
        },
        null);

    private int Port(string name) => new Uri(_apps[name].BaseUrl).Port;

    private static string Weights(IEnumerable<HaproxyServer> servers) =>
        string.Join(" ", servers.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => $"{s.Name}={s.Weight}"));

    private Task<IReadOnlyList<HaproxyServer>> WaitForAsync(Func<IReadOnlyList<HaproxyServer>, bool> condition, string what) =>
        Eventually.WaitAsync<IReadOnlyList<HaproxyServer>>(
            async () => await _runtime.GetServersAsync("app") is var servers && condition(servers) ? servers : null,
            Deadline,
            what);

    /// <summary>
    /// Reads the weights every 10 ms while a step runs and keeps each distinct state in order: the state it found, then
    /// every whole stage (blue servers alike, green servers alike, the stages' total of 512). The moments between two
    /// <c>set weight</c> commands of one stage are left out.
    /// </summary>
    private sealed class WeightWatch : IAsyncDisposable
    {
        private const int StageTotal = 512;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<string> _seen = [];
        private Task _loop = Task.CompletedTask;

        public IReadOnlyList<string> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public static async Task<WeightWatch> StartAsync(HaproxyRuntime runtime)
        {
            var watch = new WeightWatch();
            watch.Record(await runtime.GetServersAsync("app"), first: true);
            watch._loop = Task.Run(async () =>
            {
                while (!watch._stop.IsCancellationRequested)
                {
                    watch.Record(await runtime.GetServersAsync("app"), first: false);
#pragma warning disable RS0030 // the pace of the weight sampler, not a wait of the test
                    await Task.Delay(10);
#pragma warning restore RS0030
                }
            });
            return watch;
        }

        public async Task<IReadOnlyList<string>> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return Seen;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private void Record(IReadOnlyList<HaproxyServer> servers, bool first)
        {
            var whole = Blue.Select(n => servers.Single(s => s.Name == n).Weight).Distinct().Count() == 1
                && Green.Select(n => servers.Single(s => s.Name == n).Weight).Distinct().Count() == 1
                && servers.Sum(s => s.Weight) == StageTotal;
            lock (_seen)
            {
                if ((first || whole) && (_seen.Count == 0 || _seen[^1] != Weights(servers)))
                {
                    _seen.Add(Weights(servers));
                }
            }
        }
    }
}
