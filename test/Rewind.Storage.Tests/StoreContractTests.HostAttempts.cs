using Rewind.Core.Agents;
using Rewind.Core.Runbooks;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    private static readonly PlanStep s_agentSwitch = new SwitchStep("/srv/app", "v1", "v2");

    private static readonly CommandStep s_agentCommand = new(
        ["/usr/local/bin/reload", "--graceful"],
        new Dictionary<string, string> { ["APP_ENV"] = "prod" },
        "/srv/app",
        TimeSpan.FromSeconds(45),
        [0, 3],
        Switches: true,
        Label: "reload")
    { Retry = new StepRetry(2, TimeSpan.FromSeconds(5)) };

    [Fact]
    public async Task EnsureHostAttemptAsync_New_StoresItWithItsPlanStep()
    {
        var rollback = await RunningRollbackIdAsync();
        var host = NewHost();
        var command = NewAttempt(rollback, 0, host, s_agentCommand);
        var flip = NewAttempt(rollback, 1, host, s_agentSwitch);

        ShouldBeStored(await Store.EnsureHostAttemptAsync(command), command);
        ShouldBeStored(await Store.EnsureHostAttemptAsync(flip), flip);

        var stored = (await Store.GetHostAttemptAsync(command.Id)).ShouldNotBeNull();
        ShouldBeStored(stored, command);
        var step = stored.Step.ShouldBeOfType<CommandStep>();
        step.Argv.ShouldBe(s_agentCommand.Argv);
        step.Env.ShouldBe(s_agentCommand.Env);
        step.AcceptExit.ShouldBe(s_agentCommand.AcceptExit);
        step.Retry.ShouldBe(s_agentCommand.Retry);
        step.IsSwitch.ShouldBeTrue();
        (await Store.GetHostAttemptAsync(flip.Id)).ShouldNotBeNull().Step.ShouldBe(s_agentSwitch);
    }

    [Fact]
    public async Task EnsureHostAttemptAsync_Twice_ReturnsTheFirstWhateverItsState()
    {
        var rollback = await RunningRollbackIdAsync();
        var first = NewAttempt(rollback, 0, NewHost(), s_agentSwitch);
        await Store.EnsureHostAttemptAsync(first);
        await Store.ReportHostAttemptAsync(new HostAttemptReport(first.Id, HostAttemptStatus.Failed, "exit 1", T0.AddSeconds(5)));

        var again = await Store.EnsureHostAttemptAsync(first with { Step = s_agentCommand, CreatedAt = T0.AddMinutes(1) });

        ShouldBeStored(again, first with { Status = HostAttemptStatus.Failed, FinishedAt = T0.AddSeconds(5), Output = "exit 1" });
        (await Store.GetHostAttemptsAsync(rollback)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetHostAttemptAsync_Unknown_IsNull() =>
        (await Store.GetHostAttemptAsync($"RB-unknown.1.{NewHost()}")).ShouldBeNull();

    [Fact]
    public async Task GetHostAttemptsAsync_SeveralSteps_ByStepThenHost()
    {
        var rollback = await RunningRollbackIdAsync();
        var host = NewHost();
        await Store.EnsureHostAttemptAsync(NewAttempt(rollback, 1, host + "a", s_agentSwitch));
        await Store.EnsureHostAttemptAsync(NewAttempt(rollback, 0, host + "b", s_agentSwitch));
        await Store.EnsureHostAttemptAsync(NewAttempt(rollback, 0, host + "a", s_agentSwitch));

        (await Store.GetHostAttemptsAsync(rollback)).Select(a => (a.StepIndex, a.Host)).ShouldBe([(0, host + "a"), (0, host + "b"), (1, host + "a")]);
    }

    [Fact]
    public async Task ClaimHostAttemptsAsync_Pending_BecomeRunningClaimedByTheInstanceOldestFirst()
    {
        var rollback = await RunningRollbackIdAsync();
        var host = NewHost();
        var later = NewAttempt(rollback, 0, host, s_agentSwitch) with { CreatedAt = T0.AddSeconds(2) };
        var earlier = NewAttempt(rollback, 1, host, s_agentCommand) with { CreatedAt = T0.AddSeconds(1) };
        await Store.EnsureHostAttemptAsync(later);
        await Store.EnsureHostAttemptAsync(earlier);

        var claimed = await Store.ClaimHostAttemptsAsync(host, "instance-1", T0.AddSeconds(10));

        claimed.Select(a => (a.Id, a.Status, a.ClaimedAt, a.ClaimedBy)).ShouldBe(
        [
            (earlier.Id, HostAttemptStatus.Running, (DateTimeOffset?)T0.AddSeconds(10), "instance-1"),
            (later.Id, HostAttemptStatus.Running, T0.AddSeconds(10), "instance-1"),
        ]);
        (await Store.GetHostAttemptAsync(later.Id)).ShouldNotBeNull().Status.ShouldBe(HostAttemptStatus.Running);
    }

    [Fact]
    public async Task ClaimHostAttemptsAsync_RunningAgain_HandedOutAgainSayingWhenAndByWhomItWasFirstClaimed()
    {
        var rollback = await RunningRollbackIdAsync();
        var host = NewHost();
        var attempt = NewAttempt(rollback, 0, host, s_agentSwitch);
        await Store.EnsureHostAttemptAsync(attempt);
        await Store.ClaimHostAttemptsAsync(host, "instance-1", T0.AddSeconds(10));

        var claimed = await Store.ClaimHostAttemptsAsync(host, "instance-2", T0.AddSeconds(20));

        claimed.Single().ShouldSatisfyAllConditions(
            a => a.Status.ShouldBe(HostAttemptStatus.Running),
            a => a.ClaimedAt.ShouldBe(T0.AddSeconds(10)),
            a => a.ClaimedBy.ShouldBe("instance-1"));
    }

    [Fact]
    public async Task ClaimHostAttemptsAsync_OtherHostsFinishedAttemptsAndRollbacksNotRunning_AreNeitherHandedOutNorChanged()
    {
        var host = NewHost();
        var running = await RunningRollbackIdAsync();
        var notStarted = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull().Id;
        var failed = await RunningRollbackIdAsync();
        var succeeded = await RunningRollbackIdAsync();
        var mine = NewAttempt(running, 0, host, s_agentSwitch);
        var finished = NewAttempt(running, 1, host, s_agentSwitch);
        var otherHost = NewAttempt(running, 0, NewHost(), s_agentSwitch);
        var idle = new[] { NewAttempt(notStarted, 0, host, s_agentSwitch), NewAttempt(failed, 0, host, s_agentSwitch), NewAttempt(succeeded, 0, host, s_agentSwitch) };
        foreach (var attempt in idle.Append(mine).Append(finished).Append(otherHost))
        {
            await Store.EnsureHostAttemptAsync(attempt);
        }

        await Store.ReportHostAttemptAsync(new HostAttemptReport(finished.Id, HostAttemptStatus.Succeeded, "ok", T0.AddSeconds(1)));
        await Store.FinishRollbackAsync(new RollbackFinish(failed, RollbackStatus.Failed, T0.AddSeconds(2), "aborted"));
        await Store.FinishRollbackAsync(new RollbackFinish(succeeded, RollbackStatus.Succeeded, T0.AddSeconds(2), null));

        (await Store.ClaimHostAttemptsAsync(host, "instance-1", T0.AddSeconds(10))).Select(a => a.Id).ShouldBe([mine.Id]);

        foreach (var attempt in idle.Append(otherHost))
        {
            ShouldBeStored((await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull(), attempt);
        }

        (await Store.GetHostAttemptAsync(finished.Id)).ShouldNotBeNull().ClaimedBy.ShouldBeNull();
    }

    [Fact]
    public async Task ReportHostAttemptAsync_Twice_FinishesItOnce()
    {
        var rollback = await RunningRollbackIdAsync();
        var host = NewHost();
        var attempt = NewAttempt(rollback, 0, host, s_agentSwitch);
        await Store.EnsureHostAttemptAsync(attempt);
        await Store.ClaimHostAttemptsAsync(host, "instance-1", T0.AddSeconds(1));
        var report = new HostAttemptReport(attempt.Id, HostAttemptStatus.Succeeded, "switched to v1", T0.AddSeconds(5));

        (await Store.ReportHostAttemptAsync(report)).ShouldBeTrue();
        (await Store.ReportHostAttemptAsync(report)).ShouldBeFalse();

        ShouldBeStored(
            (await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull(),
            attempt with { Status = HostAttemptStatus.Succeeded, ClaimedAt = T0.AddSeconds(1), ClaimedBy = "instance-1", FinishedAt = T0.AddSeconds(5), Output = "switched to v1" });
    }

    [Fact]
    public async Task ReportHostAttemptAsync_DifferingAfterTheEnd_IsKeptAsLateReportAndTheOutcomeStands()
    {
        var rollback = await RunningRollbackIdAsync();
        var attempt = NewAttempt(rollback, 0, NewHost(), s_agentSwitch);
        await Store.EnsureHostAttemptAsync(attempt);
        await Store.GiveUpHostAttemptAsync(attempt.Id, T0.AddMinutes(5), "no agent took it within 5m");

        (await Store.ReportHostAttemptAsync(new HostAttemptReport(attempt.Id, HostAttemptStatus.Succeeded, "switched\nto v1", T0.AddMinutes(6)))).ShouldBeFalse();

        var stored = (await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull();
        stored.Status.ShouldBe(HostAttemptStatus.Unreachable);
        stored.Output.ShouldBe("no agent took it within 5m");
        stored.FinishedAt.ShouldBe(T0.AddMinutes(5));
        stored.LateReport.ShouldBe(@"succeeded at 2026-03-14 09:32:53Z: switched\nto v1");
    }

    [Fact]
    public async Task ReportHostAttemptAsync_SameStatusOtherOutput_IsKeptAsLateReport()
    {
        var rollback = await RunningRollbackIdAsync();
        var attempt = NewAttempt(rollback, 0, NewHost(), s_agentSwitch);
        await Store.EnsureHostAttemptAsync(attempt);
        await Store.ReportHostAttemptAsync(new HostAttemptReport(attempt.Id, HostAttemptStatus.Failed, "exit 2", T0.AddSeconds(5)));

        (await Store.ReportHostAttemptAsync(new HostAttemptReport(attempt.Id, HostAttemptStatus.Failed, "exit 3", T0.AddSeconds(9)))).ShouldBeFalse();

        var stored = (await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull();
        (stored.Output, stored.LateReport).ShouldBe(("exit 2", "failed at 2026-03-14 09:27:02Z: exit 3"));
    }

    [Fact]
    public async Task ReportHostAttemptAsync_IdenticalRepeat_ChangesNothing()
    {
        var rollback = await RunningRollbackIdAsync();
        var attempt = NewAttempt(rollback, 0, NewHost(), s_agentSwitch);
        await Store.EnsureHostAttemptAsync(attempt);
        await Store.ReportHostAttemptAsync(new HostAttemptReport(attempt.Id, HostAttemptStatus.Failed, "exit 2", T0.AddSeconds(5)));
        var before = (await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull();

        (await Store.ReportHostAttemptAsync(new HostAttemptReport(attempt.Id, HostAttemptStatus.Failed, "exit 2", T0.AddSeconds(9)))).ShouldBeFalse();

        ShouldBeStored((await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull(), before);
        before.LateReport.ShouldBeNull();
    }

    [Fact]
    public async Task ReportHostAttemptAsync_LongLateReport_IsOneLineOfAtMost2000Characters()
    {
        var rollback = await RunningRollbackIdAsync();
        var attempt = NewAttempt(rollback, 0, NewHost(), s_agentSwitch);
        await Store.EnsureHostAttemptAsync(attempt);
        await Store.ReportHostAttemptAsync(new HostAttemptReport(attempt.Id, HostAttemptStatus.Failed, "exit 2", T0.AddSeconds(5)));

        await Store.ReportHostAttemptAsync(new HostAttemptReport(attempt.Id, HostAttemptStatus.Unknown, string.Concat(Enumerable.Repeat("line\n", 1000)) + "the end", T0.AddSeconds(9)));

        var late = (await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull().LateReport.ShouldNotBeNull();
        late.Length.ShouldBeLessThanOrEqualTo(2000);
        late.ShouldStartWith("unknown at 2026-03-14 09:27:02Z: ");
        late.ShouldEndWith("the end");
        late.ShouldNotContain('\n');
    }

    [Fact]
    public async Task ReportHostAttemptAsync_UnknownAttempt_IsFalse() =>
        (await Store.ReportHostAttemptAsync(new HostAttemptReport($"RB-unknown.1.{NewHost()}", HostAttemptStatus.Succeeded, "", T0))).ShouldBeFalse();

    [Theory]
    [InlineData(HostAttemptStatus.Pending)]
    [InlineData(HostAttemptStatus.Running)]
    [InlineData(HostAttemptStatus.Unreachable)]
    public async Task ReportHostAttemptAsync_StatusNotAnEnd_Throws(HostAttemptStatus status) =>
        await Should.ThrowAsync<ArgumentException>(() => Store.ReportHostAttemptAsync(new HostAttemptReport($"RB-unknown.1.{NewHost()}", status, "", T0)));

    [Fact]
    public async Task GiveUpHostAttemptAsync_NotFinished_MakesItUnreachableOnce()
    {
        var rollback = await RunningRollbackIdAsync();
        var host = NewHost();
        var attempt = NewAttempt(rollback, 0, host, s_agentSwitch);
        await Store.EnsureHostAttemptAsync(attempt);
        await Store.ClaimHostAttemptsAsync(host, "instance-1", T0.AddSeconds(1));

        (await Store.GiveUpHostAttemptAsync(attempt.Id, T0.AddMinutes(5), "no report within 5m")).ShouldBeTrue();
        (await Store.GiveUpHostAttemptAsync(attempt.Id, T0.AddMinutes(6), "again")).ShouldBeFalse();

        var stored = (await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull();
        (stored.Status, stored.FinishedAt, stored.Output).ShouldBe((HostAttemptStatus.Unreachable, (DateTimeOffset?)T0.AddMinutes(5), "no report within 5m"));
    }

    [Fact]
    public async Task GiveUpHostAttemptAsync_AfterAReport_IsFalseAndTheReportStands()
    {
        var rollback = await RunningRollbackIdAsync();
        var attempt = NewAttempt(rollback, 0, NewHost(), s_agentSwitch);
        await Store.EnsureHostAttemptAsync(attempt);
        await Store.ReportHostAttemptAsync(new HostAttemptReport(attempt.Id, HostAttemptStatus.Succeeded, "ok", T0.AddSeconds(5)));

        (await Store.GiveUpHostAttemptAsync(attempt.Id, T0.AddMinutes(5), "no report within 5m")).ShouldBeFalse();
        (await Store.GiveUpHostAttemptAsync($"RB-unknown.1.{NewHost()}", T0.AddMinutes(5), "no report within 5m")).ShouldBeFalse();

        (await Store.GetHostAttemptAsync(attempt.Id)).ShouldNotBeNull().Status.ShouldBe(HostAttemptStatus.Succeeded);
    }

    [Fact]
    public async Task ClaimHostAttemptsAsync_JobOutsideARollback_IsHandedOutAndReported_ButNotOnceNobodyWaitsForIt()
    {
        var host = NewHost();
        var job = NewAttempt($"{HostAttempt.JobPrefix}backup.db.verify.{Guid.NewGuid():N}", 0, host, new BackupJobStep("db", "verify"));
        var stale = NewAttempt($"{HostAttempt.JobPrefix}backup.db.base-backup.{Guid.NewGuid():N}", 0, host, new BackupJobStep("db", "base-backup"));
        await Store.EnsureHostAttemptAsync(job with { CreatedAt = T0 });
        await Store.EnsureHostAttemptAsync(stale with { CreatedAt = T0 - HostAttempt.JobClaimable - TimeSpan.FromSeconds(1) });

        var claimed = (await Store.ClaimHostAttemptsAsync(host, "instance-1", T0.AddSeconds(1))).ShouldHaveSingleItem();
        claimed.Id.ShouldBe(job.Id);
        claimed.IsJob.ShouldBeTrue();
        claimed.Step.ShouldBe(new BackupJobStep("db", "verify"));
        (await Store.ClaimHostAttemptsAsync(host, "instance-1", T0 + HostAttempt.JobClaimable + TimeSpan.FromMinutes(5))).ShouldHaveSingleItem("taken, it is handed out again until it is reported, however long it runs");
        (await Store.ReportHostAttemptAsync(new HostAttemptReport(job.Id, HostAttemptStatus.Succeeded, "1 set(s) checked", T0.AddMinutes(1)))).ShouldBeTrue();
        (await Store.ClaimHostAttemptsAsync(host, "instance-1", T0.AddMinutes(2))).ShouldBeEmpty();
        (await Store.GetOrphanedHostAttemptsAsync(host)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SaveHostBackupStateAsync_ReplacesTheComponentsMeasurement()
    {
        var component = NewComponent();
        (await Store.GetHostBackupStateAsync(component)).ShouldBeNull();
        var first = new HostBackupState(component, "db-1", T0, T0.AddMinutes(-1), T0.AddHours(-3), null);
        await Store.SaveHostBackupStateAsync(first);
        (await Store.GetHostBackupStateAsync(component)).ShouldBe(first);

        var failing = new HostBackupState(component, "db-2", T0.AddSeconds(10), null, null, "backup repository /srv/repo cannot be read on db-2: Permission denied");
        await Store.SaveHostBackupStateAsync(failing);

        (await Store.GetHostBackupStateAsync(component)).ShouldBe(failing);
    }

    private static HostAttempt NewAttempt(string rollbackId, int stepIndex, string host, PlanStep step) =>
        new(HostAttempt.IdOf(rollbackId, stepIndex, host), rollbackId, stepIndex, host, step, HostAttemptStatus.Pending, T0);

    /// <summary>Equal but for the plan step, read back from JSON, whose lists compare by reference: compared by what it says.</summary>
    private static void ShouldBeStored(HostAttempt actual, HostAttempt expected)
    {
        actual.Step.Describe().ShouldBe(expected.Step.Describe());
        (actual with { Step = expected.Step }).ShouldBe(expected);
    }

    private async Task<string> RunningRollbackIdAsync()
    {
        var rollback = (await CreateRollbackAsync(NewComponent())).Created.ShouldNotBeNull();
        (await Store.MarkRollbackRunningAsync(rollback.Id, T0)).ShouldBeTrue();
        return rollback.Id;
    }
}
