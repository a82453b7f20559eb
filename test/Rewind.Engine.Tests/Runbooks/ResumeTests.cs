using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Engine.Runbooks;
using Rewind.Runtime.Releases;

namespace Rewind.Engine.Tests.Runbooks;

/// <summary>
/// A rollback resumed after an interruption (a stop, a crash, another replica taking over) with its first unfinished step
/// recorded as started: the step's real state is read back first, and a step whose effect is already in place is recorded
/// as done without running again (its attempt count stays 1); one whose effect is not, or only half, in place runs again.
/// </summary>
public sealed class ResumeTests
{
    private const string FoundInPlace = "found in place after an interruption, not run again: ";

    /// <summary>A <c>files</c> component <c>config</c> (an env file and a directory) beside the fixture's <c>web</c>.</summary>
    private const string FilesComponent = """
        config:
            provider:
              files:
                paths: [conf/app.env, conf/conf.d]
                store: copies
            probes:
              health: { http: { url: "http://127.0.0.1:9/health" }, interval: 200ms, timeout: 100ms }
            healthy-timeout: 1s
            healthy-successes: 1
        """;

    [Fact]
    public async Task Switch_InterruptedAfterTheLinkMoved_IsFoundInPlace_AndTheRollbackGoesOn()
    {
        await using var engine = await EngineFixture.StartAsync();
        await engine.StableV1ThenV2Async();
        var rollback = await InterruptedAtFirstStepAsync(engine, "web");
        File.Delete(Path.Combine(engine.AppRoot, "current"));
        File.CreateSymbolicLink(Path.Combine(engine.AppRoot, "current"), Path.Combine("releases", "v1")); // the switch acted, its end was not recorded

        var done = await engine.RunRollbackAsync(rollback.Id);

        done.Status.ShouldBe(RollbackStatus.Succeeded, done.Error);
        done.Steps[0].Output.ShouldBe($"{FoundInPlace}{Path.Combine(engine.AppRoot, "current")} already points at releases/v1");
        done.Steps[0].Attempts.ShouldBe(1);
        (await engine.Get<Metrics.ControllerMetrics>().Registry.WriteAsync()).ShouldContain("rewind_rollback_steps_found_in_place_total{kind=\"switch\"} 1");
    }

    [Fact]
    public async Task Switch_InterruptedBeforeTheLinkMoved_RunsAgain()
    {
        await using var engine = await EngineFixture.StartAsync();
        await engine.StableV1ThenV2Async();
        var rollback = await InterruptedAtFirstStepAsync(engine, "web");

        var done = await engine.RunRollbackAsync(rollback.Id);

        done.Status.ShouldBe(RollbackStatus.Succeeded, done.Error);
        done.Steps[0].Output.ShouldNotStartWith(FoundInPlace);
        done.Steps[0].Attempts.ShouldBe(2);
        engine.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
    }

    [Fact]
    public async Task Files_InterruptedAfterEveryFileWasPutBack_IsFoundInPlace()
    {
        await using var engine = await EngineFixture.StartAsync(components: FilesComponent);
        var files = await FilesV1ThenV2Async(engine);
        var rollback = await InterruptedAtFirstStepAsync(engine, "config");
        ConfigFileCopies.Restore(files.Copy, files.Paths, FilesRestoreStep.UndoDirectory(files.Store, rollback.Id), rollback.Id, engine.Now).Succeeded.ShouldBeTrue();

        var done = await engine.RunRollbackAsync(rollback.Id);

        done.Status.ShouldBe(RollbackStatus.Succeeded, done.Error);
        done.Steps[0].Output.ShouldBe($"{FoundInPlace}the 2 file(s) of v1 from {files.Copy} are already in place (checksums, modes, link targets, directories and absent paths read back)");
        done.Steps[0].Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task Files_InterruptedHalfWay_RunsAgainAndFinishesTheRestore()
    {
        await using var engine = await EngineFixture.StartAsync(components: FilesComponent);
        var files = await FilesV1ThenV2Async(engine);
        var rollback = await InterruptedAtFirstStepAsync(engine, "config");
        File.WriteAllText(files.Env, "MODE=v1\n"); // the env file put back, the directory not yet

        var done = await engine.RunRollbackAsync(rollback.Id);

        done.Status.ShouldBe(RollbackStatus.Succeeded, done.Error);
        done.Steps[0].Output.ShouldStartWith($"restored 2 file(s) of v1 from {files.Copy}: 1 replaced, 1 unchanged, 1 removed");
        done.Steps[0].Attempts.ShouldBe(2);
        File.ReadAllText(Path.Combine(files.ConfD, "a.conf")).ShouldBe("a v1\n");
        File.Exists(Path.Combine(files.ConfD, "b.conf")).ShouldBeFalse();
        ConfigFileCopies.InPlace(files.Copy, files.Paths).ShouldNotBeNull();
    }

    /// <summary>The rollback requested, started, and its first step recorded as started: what a stopped controller leaves.</summary>
    private static async Task<Rollback> InterruptedAtFirstStepAsync(EngineFixture engine, string component)
    {
        var requested = await engine.Get<RollbackCoordinator>().RequestAsync(component, "checkout errors", "alice", null, new PlanOptions(), null);
        requested.Refusal.ShouldBeNull();
        var rollback = requested.Rollback.ShouldNotBeNull();
        (await engine.Store.MarkRollbackRunningAsync(rollback.Id, engine.Now)).ShouldBeTrue();
        await engine.Store.MarkStepStartedAsync(rollback.Id, 0, engine.Now);
        return rollback;
    }

    /// <summary>v1 of <c>config</c> recorded with its copy and stable; v2 (other files) current.</summary>
    private static async Task<FilesLayoutOf> FilesV1ThenV2Async(EngineFixture engine)
    {
        var files = new FilesLayoutOf(engine.Root);
        Write(files.Env, "MODE=v1\n");
        Write(Path.Combine(files.ConfD, "a.conf"), "a v1\n");
        ConfigFileCopies.Take(files.Paths, files.Copy, "v1", engine.Now);
        await engine.Store.RecordReleaseAsync(new Release("config", "v1", ReleaseState.Baking, engine.Now, null, null, "alice"));
        await engine.Store.SetReleaseStateAsync("config", "v1", ReleaseState.Stable, engine.Now);
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        Write(files.Env, "MODE=v2\n");
        Write(Path.Combine(files.ConfD, "a.conf"), "a v2\n");
        Write(Path.Combine(files.ConfD, "b.conf"), "b v2\n");
        ConfigFileCopies.Take(files.Paths, FilesLayout.Release(files.Store, "v2"), "v2", engine.Now);
        await engine.Store.RecordReleaseAsync(new Release("config", "v2", ReleaseState.Baking, engine.Now, null, null, "alice"));
        return files;
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private sealed record FilesLayoutOf(string Root)
    {
        public string Env => Path.Combine(Root, "conf", "app.env");

        public string ConfD => Path.Combine(Root, "conf", "conf.d");

        public string Store => Path.Combine(Root, "copies");

        public string Copy => FilesLayout.Release(Store, "v1");

        public string[] Paths => [Env, ConfD];
    }
}
