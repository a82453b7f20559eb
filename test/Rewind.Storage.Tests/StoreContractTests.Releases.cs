using Rewind.Core.Releases;

namespace Rewind.Storage.Tests;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task RecordReleaseAsync_WithSchema_KeepsIt_AndARecordWithoutOneDoesNotEraseIt()
    {
        var component = NewComponent();

        await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Baking, T0) { Schema = "0042_orders_index" });
        var again = await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Baking, T0.AddMinutes(1)));

        again.Schema.ShouldBe("0042_orders_index");
        (await Store.GetReleasesAsync(component)).ShouldHaveSingleItem().Schema.ShouldBe("0042_orders_index");
    }

    [Fact]
    public async Task RecordReleaseAsync_DeployStartedAt_StaysThroughTheDeployAndRestartsWithTheNextOne()
    {
        var component = NewComponent();
        Release Record(string version, ReleaseState state, int seconds) => new(component, version, state, T0.AddSeconds(seconds)) { DeployStartedAt = T0.AddSeconds(seconds) };
        await Store.RecordReleaseAsync(Record("v1", ReleaseState.Stable, 0));

        var deploying = await Store.RecordReleaseAsync(Record("v2", ReleaseState.Deploying, 10));
        var deployed = await Store.RecordReleaseAsync(Record("v2", ReleaseState.Baking, 40));
        await Store.SetCurrentReleaseAsync(component, "v1", T0.AddSeconds(60));
        var again = await Store.RecordReleaseAsync(Record("v2", ReleaseState.Deploying, 90));
        var seen = await Store.RecordReleaseAsync(new Release(component, "v3", ReleaseState.Baking, T0.AddSeconds(99)));

        deploying.DeployStartedAt.ShouldBe(T0.AddSeconds(10));
        deployed.ShouldBe(deployed with { RecordedAt = T0.AddSeconds(40), DeployStartedAt = T0.AddSeconds(10) });
        again.DeployStartedAt.ShouldBe(T0.AddSeconds(90), "deployed again after a rollback left it: a new deploy");
        seen.DeployStartedAt.ShouldBeNull();
        (await Store.GetReleaseAsync(component, "v2")).ShouldNotBeNull().DeployStartedAt.ShouldBe(T0.AddSeconds(90));
    }

    [Fact]
    public async Task MarkReleaseServedAsync_SetsTheFirstTimeOnce_AndARecordAgainKeepsIt()
    {
        var component = NewComponent();
        await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Deploying, T0));

        var first = await Store.MarkReleaseServedAsync(component, "1.0.0", T0.AddSeconds(2));
        var second = await Store.MarkReleaseServedAsync(component, "1.0.0", T0.AddSeconds(9));
        var again = await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Baking, T0.AddSeconds(5)));

        first.ShouldBeTrue();
        second.ShouldBeFalse();
        again.FirstServedAt.ShouldBe(T0.AddSeconds(2));
        (await Store.MarkReleaseServedAsync(component, "9.9.9", T0)).ShouldBeFalse();
    }

    [Fact]
    public async Task RecordReleaseAsync_NewComponent_BecomesCurrentWithUnknownProvider()
    {
        var component = NewComponent();
        var release = new Release(component, "1.0.0", ReleaseState.Deploying, T0, "abc123", "releases/1.0.0.tar.gz", "ci");

        var recorded = await Store.RecordReleaseAsync(release);

        recorded.ShouldBe(release);
        var state = (await Store.GetComponentAsync(component)).ShouldNotBeNull();
        state.ShouldBe(new ComponentState(component, "unknown", "1.0.0", T0));
        (await Store.GetReleasesAsync(component)).ShouldBe([release]);
    }

    [Fact]
    public async Task RecordReleaseAsync_EnsuredComponent_KeepsProviderAndListsNewestFirst()
    {
        var component = NewComponent();
        await Store.EnsureComponentAsync(component, "release-dir");
        var first = await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Baking, T0));
        var second = await Store.RecordReleaseAsync(new Release(component, "1.1.0", ReleaseState.Deploying, T0.AddMinutes(5)));

        var state = (await Store.GetComponentAsync(component)).ShouldNotBeNull();

        state.Provider.ShouldBe("release-dir");
        state.CurrentVersion.ShouldBe("1.1.0");
        state.CurrentSince.ShouldBe(T0.AddMinutes(5));
        (await Store.GetReleasesAsync(component)).ShouldBe([second, first]);
    }

    [Fact]
    public async Task RecordReleaseAsync_SameVersionAgain_UpdatesTheOneRecord()
    {
        var component = NewComponent();
        await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Baking, T0, "old", "a1", "alice"));
        await Store.RecordReleaseAsync(new Release(component, "1.1.0", ReleaseState.Baking, T0.AddMinutes(1)));

        var again = await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Deploying, T0.AddMinutes(2), "new", "a2", "bob"));

        again.ShouldBe(new Release(component, "1.0.0", ReleaseState.Deploying, T0.AddMinutes(2), "new", "a2", "bob"));
        (await Store.GetReleasesAsync(component)).Count.ShouldBe(2);
        (await Store.GetReleaseAsync(component, "1.0.0")).ShouldBe(again);
        (await Store.GetComponentAsync(component)).ShouldNotBeNull().CurrentVersion.ShouldBe("1.0.0");
    }

    [Fact]
    public async Task SetReleaseStateAsync_BakingToStable_SetsStableAt()
    {
        var component = NewComponent();
        await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Deploying, T0));

        (await Store.SetReleaseStateAsync(component, "1.0.0", ReleaseState.Baking, T0.AddSeconds(10))).ShouldBeTrue();
        (await Store.SetReleaseStateAsync(component, "1.0.0", ReleaseState.Stable, T0.AddMinutes(15))).ShouldBeTrue();

        var release = (await Store.GetReleaseAsync(component, "1.0.0")).ShouldNotBeNull();
        release.State.ShouldBe(ReleaseState.Stable);
        release.StableAt.ShouldBe(T0.AddMinutes(15));
        release.IsKnownGood.ShouldBeTrue();
    }

    [Fact]
    public async Task SetReleaseStateAsync_BadRelease_NeverBecomesStable()
    {
        var component = NewComponent();
        await Store.RecordReleaseAsync(new Release(component, "2.0.0", ReleaseState.Baking, T0));
        (await Store.SetReleaseStateAsync(component, "2.0.0", ReleaseState.Bad, T0.AddMinutes(1), "INC-2026-03-14-0001")).ShouldBeTrue();

        (await Store.SetReleaseStateAsync(component, "2.0.0", ReleaseState.Stable, T0.AddMinutes(2))).ShouldBeFalse();
        (await Store.SetReleaseStateAsync(component, "2.0.0", ReleaseState.Baking, T0.AddMinutes(3))).ShouldBeFalse();

        var release = (await Store.GetReleaseAsync(component, "2.0.0")).ShouldNotBeNull();
        release.State.ShouldBe(ReleaseState.Bad);
        release.StableAt.ShouldBeNull();
        release.Incident.ShouldBe("INC-2026-03-14-0001");
    }

    [Fact]
    public async Task SetReleaseStateAsync_DeployingStraightToStable_IsRefused()
    {
        var component = NewComponent();
        await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Deploying, T0));

        (await Store.SetReleaseStateAsync(component, "1.0.0", ReleaseState.Stable, T0.AddMinutes(1))).ShouldBeFalse();

        (await Store.GetReleaseAsync(component, "1.0.0")).ShouldNotBeNull().State.ShouldBe(ReleaseState.Deploying);
    }

    [Fact]
    public async Task SetReleaseStateAsync_UnknownRelease_ReturnsFalse()
    {
        (await Store.SetReleaseStateAsync(NewComponent(), "9.9.9", ReleaseState.Bad, T0)).ShouldBeFalse();
    }

    [Fact]
    public async Task SetCurrentReleaseAsync_AfterRollback_MovesCurrentVersion()
    {
        var component = NewComponent();
        await Store.RecordReleaseAsync(new Release(component, "1.0.0", ReleaseState.Stable, T0, StableAt: T0));
        await Store.RecordReleaseAsync(new Release(component, "1.1.0", ReleaseState.Baking, T0.AddHours(1)));

        await Store.SetCurrentReleaseAsync(component, "1.0.0", T0.AddHours(2));

        var state = (await Store.GetComponentAsync(component)).ShouldNotBeNull();
        state.CurrentVersion.ShouldBe("1.0.0");
        state.CurrentSince.ShouldBe(T0.AddHours(2));
    }

    [Fact]
    public async Task EnsureComponentAsync_TwiceWithNewProvider_ListsComponentOnceWithLatestProvider()
    {
        var component = NewComponent();
        await Store.EnsureComponentAsync(component, "command");
        await Store.EnsureComponentAsync(component, "release-dir");

        var components = await Store.GetComponentsAsync();

        components.Where(c => c.Name == component).ShouldHaveSingleItem().ShouldBe(new ComponentState(component, "release-dir", null, null));
        (await Store.GetComponentAsync(NewComponent())).ShouldBeNull();
    }
}

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task RecordBackupRunAsync_RunsComeBackNewestFirstPerComponent()
    {
        var component = NewComponent();
        await Store.RecordBackupRunAsync(new Core.Backups.BackupRun(component, "verify", T0, T0.AddSeconds(2), true, "1 set(s)"));
        await Store.RecordBackupRunAsync(new Core.Backups.BackupRun(component, "base-backup", T0.AddMinutes(1), T0.AddMinutes(2), false, "pg_basebackup exit 1"));
        await Store.RecordBackupRunAsync(new Core.Backups.BackupRun(NewComponent(), "verify", T0, T0, true, "other"));

        var runs = await Store.GetBackupRunsAsync(component, 10);

        runs.Select(r => (r.Kind, r.Succeeded, r.Summary)).ShouldBe([("base-backup", false, "pg_basebackup exit 1"), ("verify", true, "1 set(s)")]);
        runs[1].FinishedAt.ShouldBe(T0.AddSeconds(2));
        (await Store.GetBackupRunsOfKindAsync(component, "verify", 10)).ShouldHaveSingleItem().Summary.ShouldBe("1 set(s)");
        (await Store.GetBackupRunsOfKindAsync(component, "drill", 10)).ShouldBeEmpty();
    }
}
