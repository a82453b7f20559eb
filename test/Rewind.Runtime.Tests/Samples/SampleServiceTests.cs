using Rewind.TestUtils;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Core.Signals;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Releases;
using Rewind.Runtime.Runbooks;
using Rewind.Runtime.Signals;
using Rewind.Runtime.Tests.Signals;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Samples;

public sealed class SampleServiceTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private readonly HttpProbe _probe = new();

    [Fact]
    public async Task ReleaseDir_GoodThenBadRelease_RollsBackToHealthyWithStepRunners()
    {
        await using var deployment = new SampleDeployment();
        deployment.AddRelease("v1", "none");
        deployment.AddRelease("v2", "broken");
        var health = HttpProbeTests.Probe(deployment.BaseUrl + "/health", jsonField: ("status", "ok"), timeout: TimeSpan.FromSeconds(2));

        ReleaseDirectory.Switch(deployment.Root, "v1");
        (await deployment.ServicectlAsync("start")).Succeeded.ShouldBeTrue();
        await ProbeUntilAsync(health, s => s.Success, "v1 to answer healthy");
        (await _probe.RunAsync("sample", "version", HttpProbeTests.Probe(deployment.BaseUrl + "/health", jsonField: ("version", "v1")))).Success.ShouldBeTrue();

        ReleaseDirectory.Switch(deployment.Root, "v2");
        (await deployment.ServicectlAsync("restart")).Succeeded.ShouldBeTrue();
        var broken = await ProbeUntilAsync(health, s => s.Error == "status 503, expected 200", "v2 to answer broken");
        broken.Success.ShouldBeFalse();
        (await _probe.RunAsync("sample", "home", HttpProbeTests.Probe(deployment.BaseUrl + "/", expectStatus: 500))).Success.ShouldBeTrue();

        var probes = new Dictionary<string, ProbeConfig>(StringComparer.Ordinal) { ["health"] = health };
        IStepRunner[] runners =
        [
            new SwitchStepRunner(),
            new RestartStepRunner(new ProcessRunner()),
            new WaitHealthyStepRunner(_probe, component => component == "sample" ? probes : null),
        ];
        PlanStep[] plan =
        [
            new SwitchStep(deployment.Root, "v1", "v2"),
            new RestartStep(deployment.ServicectlArgv("restart"), deployment.Root, TimeSpan.FromSeconds(30)),
            new WaitHealthyStep("sample", ["health"], 3, StartDeadline),
        ];
        foreach (var step in plan)
        {
            var outcome = await runners.Single(r => r.Kind == step.Kind).RunAsync(step);
            outcome.Succeeded.ShouldBeTrue($"{step.Describe()}: {outcome.Output}");
        }

        ReleaseDirectory.ReadCurrentVersion(deployment.Root).ShouldBe("v1");
        (await deployment.ServicectlAsync("status")).Output.ShouldStartWith("running");
    }

    [Fact]
    public async Task Servicectl_StopWhenNotRunning_IsFineAndStatusSaysStopped()
    {
        await using var deployment = new SampleDeployment();

        (await deployment.ServicectlAsync("stop")).Succeeded.ShouldBeTrue();
        var status = await deployment.ServicectlAsync("status");

        status.ExitCode.ShouldBe(3);
        status.Output.ShouldBe("stopped\n");
    }

    private Task<ProbeSample> ProbeUntilAsync(ProbeConfig probe, Func<ProbeSample, bool> done, string what) =>
        Eventually.WaitAsync(async () => await _probe.RunAsync("sample", "health", probe) is var sample && done(sample) ? sample : null, StartDeadline, what);
}
