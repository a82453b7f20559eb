using Rewind.Core.Signals;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;
using Rewind.TestUtils;

namespace Rewind.Engine.Tests.Signals;

/// <summary>
/// A rollback's wait-healthy step and a probe a host's agent runs: the controller never runs it; a run is the next sample
/// the agent sends, or, after two intervals and a timeout without one, a failure that says the probe is not measured.
/// </summary>
public sealed class HostProbeSamplesTests
{
    private const string EnvProbe = "env: { command: { argv: [\"false\"] }, host: app-1, interval: 200ms, timeout: 100ms }";

    [Fact]
    public async Task Run_HostProbe_IsTheAgentsNextSample_NotARunHere()
    {
        await using var engine = await EngineFixture.StartAsync(probesExtra: EnvProbe);
        var probe = Probe(engine);
        await engine.Store.AddSampleAsync(new ProbeSample("web", "env", engine.Now, false, 1, "before the rollback"));

        var run = probe.RunAsync("web", "env", Config(engine));
        engine.Time.Advance(TimeSpan.FromMilliseconds(100));
        await engine.Store.AddSampleAsync(new ProbeSample("web", "env", engine.Now, true, 2));
        var sample = await AdvanceUntilDoneAsync(engine, run);

        (sample.Success, sample.LatencyMs).ShouldBe((true, 2), "the agent's new sample, not the one before, nor a run of argv false here");
    }

    [Fact]
    public async Task Run_HostProbeWithoutASampleForTwoIntervalsAndATimeout_FailsAsNotMeasured()
    {
        await using var engine = await EngineFixture.StartAsync(probesExtra: EnvProbe);

        var sample = await AdvanceUntilDoneAsync(engine, Probe(engine).RunAsync("web", "env", Config(engine)));

        sample.Success.ShouldBeFalse();
        sample.Error.ShouldBe("not measured: the agent of app-1 sent no sample of this probe within 500ms");
    }

    private static HostProbeSamples Probe(EngineFixture engine) => new(engine.Probe, engine.Store, engine.Time);

    private static Core.Configuration.ProbeConfig Config(EngineFixture engine) => engine.Get<ConfigHolder>().Current.Components["web"].Probes["env"];

    /// <summary>Moves the clock a look at a time until the run ends: each look reads the real store between two moves.</summary>
    private static async Task<ProbeSample> AdvanceUntilDoneAsync(EngineFixture engine, Task<ProbeSample> run)
    {
        await Eventually.WaitAsync(
            () =>
            {
                engine.Time.Advance(HostProbeSamples.Look);
                return Task.FromResult(run.IsCompleted);
            },
            TimeSpan.FromSeconds(10),
            "the host probe's run to end");
        return await run;
    }
}
