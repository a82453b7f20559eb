using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CreateRollbackAsync_FreeComponent_WritesRollbackAndAllStepsPending()
    {
        var component = NewComponent();
        var incident = await Store.OpenIncidentAsync(component, Core.Incidents.Severity.P1, "errors", null, null, T0, "alice");

        var creation = await Store.CreateRollbackAsync(component, incident.Id, "1.1.0", "1.0.0", "error rate", "alice", DefaultPlan(component), T0);

        creation.IsCreated.ShouldBeTrue();
        creation.ActiveRollbackId.ShouldBeNull();
        var created = creation.Created.ShouldNotBeNull();
        created.Id.ShouldMatch(@"^RB-2026-03-14-\d{4}$");
        var stored = (await Store.GetRollbackAsync(created.Id)).ShouldNotBeNull();
        stored.ShouldBe(created with { Steps = stored.Steps });
        stored.Status.ShouldBe(RollbackStatus.Pending);
        stored.IncidentId.ShouldBe(incident.Id);
        stored.RequestedAt.ShouldBe(T0);
        stored.Steps.Select(s => (s.Index, s.Plan.Kind, s.Status, s.Attempts)).ShouldBe(
            [(0, SwitchStep.KindName, StepStatus.Pending, 0), (1, RestartStep.KindName, StepStatus.Pending, 0), (2, WaitHealthyStep.KindName, StepStatus.Pending, 0)]);
        stored.Steps.Select(s => s.Plan.Describe()).ShouldBe(created.Steps.Select(s => s.Plan.Describe()));
    }

    [Fact]
    public async Task CreateRollbackAsync_WithPlanLimits_KeepsThePlanTimeoutAndPolicy()
    {
        var component = NewComponent();
        var steps = new PlanStep[] { new HttpStep("POST", "https://paas.example/deploys", new Dictionary<string, string>(), "{}", [201], TimeSpan.FromSeconds(30)) { Switches = true }, new FilesRestoreStep("/var/lib/copies", ["/etc/app.env"], "1.0.0", "1.1.0") };

        var created = (await Store.CreateRollbackAsync(component, null, "1.1.0", "1.0.0", "errors", "policy:errors", steps, T0, awaitingApproval: false, null, new PlanLimits(TimeSpan.FromMinutes(15), "errors"))).Created.ShouldNotBeNull();
        var plain = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();

        var stored = (await Store.GetRollbackAsync(created.Id)).ShouldNotBeNull();
        (stored.PlanTimeout, stored.PlanPolicy).ShouldBe((TimeSpan.FromMinutes(15), "errors"));
        stored.Steps.Select(s => (s.Plan.Describe(), s.Plan.IsSwitch)).ShouldBe(steps.Select(s => (s.Describe(), true)));
        var reread = (await Store.GetRollbackAsync(plain.Id)).ShouldNotBeNull();
        (reread.PlanTimeout, reread.PlanPolicy).ShouldBe((null, null));
    }

    [Fact]
    public async Task CreateRollbackAsync_StepsWithUrlPasswords_AreStoredWithThePasswordsWithheld()
    {
        var component = NewComponent();
        var probes = new Dictionary<string, ProbeConfig>(StringComparer.Ordinal)
        {
            ["db"] = new() { Postgres = new PostgresProbeConfig { Url = "postgres://app:hunter2@db.internal/orders" } },
            ["site"] = new() { Http = new HttpProbeConfig { Url = "https://ops:hunter2@example.com/health" } },
        };
        var deploy = new HttpStep("POST", "https://deploy:hunter2@paas.example/deploys", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), "{}", [201], TimeSpan.FromSeconds(30));
        PlanStep[] steps = [new ParallelStep([deploy]), new WaitHealthyStep(component, ["db", "site"], 1, TimeSpan.FromMinutes(1), probes)];

        var created = (await CreateRollbackAsync(component, steps: steps)).Created.ShouldNotBeNull();

        var stored = (await Store.GetRollbackAsync(created.Id)).ShouldNotBeNull();
        ((HttpStep)((ParallelStep)stored.Steps[0].Plan).Steps[0]).Url.ShouldBe("https://deploy:***@paas.example/deploys");
        var definitions = ((WaitHealthyStep)stored.Steps[1].Plan).Definitions.ShouldNotBeNull();
        (definitions["db"].Postgres!.Url, definitions["site"].Http!.Url).ShouldBe(("postgres://app:***@db.internal:5432/orders", "https://ops:***@example.com/health"));
        stored.Steps.Select(s => s.Plan.Describe()).ShouldBe(steps.Select(s => s.Describe())); // what people read is unchanged
        probes["db"].Postgres!.Url.ShouldBe("postgres://app:hunter2@db.internal/orders"); // the config is not touched
    }

    [Fact]
    public async Task CreateRollbackAsync_WhileAnotherIsActive_RefusesWithActiveIdAndWritesNothing()
    {
        var component = NewComponent();
        var first = (await CreateRollbackAsync(component)).Created.ShouldNotBeNull();
        await Store.MarkRollbackRunningAsync(first.Id, T0.AddSeconds(1));

        var second = await CreateRollbackAsync(component, T0.AddSeconds(2));

        second.IsCreated.ShouldBeFalse();
        second.Created.ShouldBeNull();
        second.ActiveRollbackId.ShouldBe(first.Id);
        (await Store.GetRollbacksAsync(100, component)).Select(r => r.Id).ShouldBe([first.Id]);
    }

    [Fact]
    public async Task CreateRollbackAsync_AfterPreviousFinished_CreatesNextNumberOfTheDay()
    {
        var component = NewComponent();
        var day = new DateTimeOffset(2026, 12, 24, 12, 0, 0, TimeSpan.Zero);
        var first = (await CreateRollbackAsync(component, day)).Created.ShouldNotBeNull();
        (await CreateRollbackAsync(component, day)).IsCreated.ShouldBeFalse();

        await Store.FinishRollbackAsync(new RollbackFinish(first.Id, RollbackStatus.Succeeded, day.AddMinutes(1), null));
        var next = await CreateRollbackAsync(component, day.AddMinutes(2));

        // The only test that creates rollbacks on 2026-12-24: the refused request consumed no number.
        first.Id.ShouldBe("RB-2026-12-24-0001");
        next.Created.ShouldNotBeNull().Id.ShouldBe("RB-2026-12-24-0002");
    }

    [Fact]
    public async Task CreateRollbackAsync_OtherComponentHoldsLease_IsCreated()
    {
        (await CreateRollbackAsync(NewComponent("web"))).IsCreated.ShouldBeTrue();

        (await CreateRollbackAsync(NewComponent("api"))).IsCreated.ShouldBeTrue();
    }

    [Fact]
    public async Task CreateRollbackAsync_EightConcurrentRequestsForOneComponent_CreatesExactlyOne()
    {
        var component = NewComponent();
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 8)
            .Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await CreateRollbackAsync(component, T0.AddMilliseconds(i));
            }))
            .ToList();

        start.Set();
        var outcomes = await Task.WhenAll(requests);

        var created = outcomes.Where(o => o.IsCreated).ShouldHaveSingleItem().Created.ShouldNotBeNull();
        outcomes.Where(o => !o.IsCreated).ShouldAllBe(o => o.ActiveRollbackId == created.Id);
        var stored = (await Store.GetRollbacksAsync(100, component)).ShouldHaveSingleItem();
        stored.Id.ShouldBe(created.Id);
        stored.Steps.Count.ShouldBe(3);
    }

    [Fact]
    public async Task MarkStepStartedAsync_RetriedStep_CountsAttemptsAndRecordsLastOutcome()
    {
        var component = NewComponent();
        var rollback = (await CreateRollbackAsync(component)).Created.ShouldNotBeNull();

        await Store.MarkStepStartedAsync(rollback.Id, 1, T0.AddSeconds(1));
        var running = (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Steps[1];
        await Store.MarkStepFinishedAsync(rollback.Id, 1, StepStatus.Failed, T0.AddSeconds(2), "exit 1");
        await Store.MarkStepStartedAsync(rollback.Id, 1, T0.AddSeconds(3));
        await Store.MarkStepFinishedAsync(rollback.Id, 1, StepStatus.Succeeded, T0.AddSeconds(4), "restarted");

        running.Status.ShouldBe(StepStatus.Running);
        running.Attempts.ShouldBe(1);
        running.StartedAt.ShouldBe(T0.AddSeconds(1));
        running.FinishedAt.ShouldBeNull();
        var steps = (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Steps;
        steps[1].ShouldBe(new RollbackStep(1, steps[1].Plan, StepStatus.Succeeded, 2, T0.AddSeconds(3), T0.AddSeconds(4), "restarted"));
        steps[0].Status.ShouldBe(StepStatus.Pending);
        steps[0].Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task MarkStepFinishedAsync_OutputOver64KiB_KeepsBoundedTail()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        var output = new string('x', 100_000) + "\0fatal: disk full";
        await Store.MarkStepStartedAsync(rollback.Id, 0, T0);

        await Store.MarkStepFinishedAsync(rollback.Id, 0, StepStatus.Failed, T0.AddSeconds(1), output);

        var stored = (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Steps[0].Output.ShouldNotBeNull();
        stored.Length.ShouldBeLessThanOrEqualTo(64 * 1024);
        stored.ShouldEndWith("\uFFFDfatal: disk full");
    }

    [Fact]
    public async Task MarkRollbackRunningAsync_Again_WritesNothingAndKeepsFirstStartedAt()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();

        (await Store.MarkRollbackRunningAsync(rollback.Id, T0.AddSeconds(1))).ShouldBeTrue();
        (await Store.MarkRollbackRunningAsync(rollback.Id, T0.AddMinutes(5))).ShouldBeFalse();

        var stored = (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull();
        stored.Status.ShouldBe(RollbackStatus.Running);
        stored.StartedAt.ShouldBe(T0.AddSeconds(1));
    }

    [Fact]
    public async Task FinishRollbackAsync_Failed_RecordsErrorAndReleasesLease()
    {
        var component = NewComponent();
        var rollback = (await CreateRollbackAsync(component)).Created.ShouldNotBeNull();
        await Store.MarkRollbackRunningAsync(rollback.Id, T0.AddSeconds(1));

        await Store.FinishRollbackAsync(new RollbackFinish(rollback.Id, RollbackStatus.Failed, T0.AddSeconds(40), "step 2 (wait-healthy) timed out"));

        var stored = (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull();
        stored.Status.ShouldBe(RollbackStatus.Failed);
        stored.FinishedAt.ShouldBe(T0.AddSeconds(40));
        stored.Error.ShouldBe("step 2 (wait-healthy) timed out");
        (await Store.GetActiveRollbacksAsync()).ShouldNotContain(r => r.Id == rollback.Id);
    }

    [Fact]
    public async Task GetActiveRollbacksAsync_MixedStatuses_ListsPendingAndRunningWithStepsInOrder()
    {
        var pending = (await CreateRollbackAsync(NewComponent("a"))).Created.ShouldNotBeNull();
        var running = (await CreateRollbackAsync(NewComponent("b"))).Created.ShouldNotBeNull();
        var finished = (await CreateRollbackAsync(NewComponent("c"))).Created.ShouldNotBeNull();
        await Store.MarkRollbackRunningAsync(running.Id, T0.AddSeconds(1));
        await Store.MarkStepStartedAsync(running.Id, 0, T0.AddSeconds(1));
        await Store.FinishRollbackAsync(new RollbackFinish(finished.Id, RollbackStatus.Succeeded, T0.AddSeconds(2), null));

        var active = (await Store.GetActiveRollbacksAsync())
            .Where(r => r.Id == pending.Id || r.Id == running.Id || r.Id == finished.Id)
            .ToList();

        active.Select(r => (r.Id, r.Status)).ShouldBe([(pending.Id, RollbackStatus.Pending), (running.Id, RollbackStatus.Running)], ignoreOrder: true);
        foreach (var rollback in active)
        {
            rollback.Steps.Select(s => s.Index).ShouldBe([0, 1, 2]);
        }

        active.Single(r => r.Id == running.Id).NextStep.ShouldNotBeNull().Status.ShouldBe(StepStatus.Running);
    }

    [Fact]
    public async Task GetRollbacksAsync_ComponentFilter_ReturnsOnlyThatComponentNewestFirst()
    {
        var component = NewComponent();
        var older = (await CreateRollbackAsync(component, T0)).Created.ShouldNotBeNull();
        await Store.FinishRollbackAsync(new RollbackFinish(older.Id, RollbackStatus.Succeeded, T0.AddMinutes(1), null));
        var newer = (await CreateRollbackAsync(component, T0.AddMinutes(2))).Created.ShouldNotBeNull();
        await CreateRollbackAsync(NewComponent());

        (await Store.GetRollbacksAsync(10, component)).Select(r => r.Id).ShouldBe([newer.Id, older.Id]);
        (await Store.GetRollbacksAsync(1, component)).Select(r => r.Id).ShouldBe([newer.Id]);
        (await Store.GetRollbacksAsync(1000)).ShouldContain(r => r.Id == older.Id);
        (await Store.GetRollbackAsync("RB-1999-01-01-0001")).ShouldBeNull();
    }

    [Fact]
    public async Task CreateRollbackAsync_PlanSteps_RoundTripThroughStoredJson()
    {
        var component = NewComponent();
        IReadOnlyList<PlanStep> plan =
        [
            new SwitchStep("/srv/app", "1.0.0", null),
            new SwitchStep("/srv/app", "1.0.0", "1.1.0"),
            new RestartStep(["sh-free", "--say", "\"quoted\" {{version}}", "ünïcode"], "/srv/app", TimeSpan.FromMilliseconds(2500)),
            new WaitHealthyStep(component, ["http", "db"], 5, TimeSpan.FromMinutes(3)),
            TrafficStep.Resolve(new TrafficStepConfig { Haproxy = new HaproxyConfig { Socket = "tcp:127.0.0.1:9999", Backend = "web" }, To = ["blue-1"], From = ["green-1", "green-2"] }, "shift"),
            new MaintenanceStep("unix:/run/haproxy/admin.sock", "web", ["green-1"], MaintenanceState.Drain),
        ];

        var rollback = (await CreateRollbackAsync(component, steps: plan)).Created.ShouldNotBeNull();
        var steps = (await Store.GetRollbackAsync(rollback.Id)).ShouldNotBeNull().Steps.Select(s => s.Plan).ToList();

        steps[0].ShouldBe(plan[0]);
        steps[1].ShouldBe(plan[1]);
        var restart = steps[2].ShouldBeOfType<RestartStep>();
        restart.Argv.ShouldBe(["sh-free", "--say", "\"quoted\" {{version}}", "ünïcode"]);
        restart.WorkingDirectory.ShouldBe("/srv/app");
        restart.Timeout.ShouldBe(TimeSpan.FromMilliseconds(2500));
        var wait = steps[3].ShouldBeOfType<WaitHealthyStep>();
        wait.Component.ShouldBe(component);
        wait.Probes.ShouldBe(["http", "db"]);
        wait.Successes.ShouldBe(5);
        wait.Timeout.ShouldBe(TimeSpan.FromMinutes(3));
        steps[4].ShouldBeOfType<TrafficStep>().Describe().ShouldBe(plan[4].Describe());
        steps[5].ShouldBeOfType<MaintenanceStep>().Describe().ShouldBe(plan[5].Describe());
    }
}
