using System.Globalization;
using System.Text.RegularExpressions;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>
/// BookedBarber: each release's instance behind real HAProxy, Redis, a provider-managed PostgreSQL. A bad release takes
/// all traffic (no data lost); a bad migration deletes data (the database restored through the provider's API).
/// </summary>
public sealed partial class SeedDrillTests
{
    [Fact]
    public async Task Bookedbarber_BadRelease_TrafficBackInStagesWithoutDataLossWithinTheDocumentsTargets()
    {
        await using var seed = await BookedbarberStack.StartAsync();

        await seed.Stack.RunDrillAsync("bad-release");

        var run = (await seed.Stack.Admin.GetDrillRunsAsync("bad-release")).ShouldHaveSingleItem();
        var report = run.Report.ShouldNotBeNull();
        report.Data.ShouldNotBeNull().Lost.ShouldBe(0);
        report.Data.Acknowledged.ShouldBeGreaterThan(0);
        report.Events.ShouldContain(e => e.What.Contains("traffic", StringComparison.Ordinal) && e.Outcome == "succeeded");
        (await seed.Redis.CommandAsync("EXISTS page:home")).ShouldContain(":0", customMessage: "the cache was emptied");
        (await seed.ServingAsync()).ShouldContain("\"version\":\"v1\"");
        (await seed.AppointmentsAsync()).ShouldBe(100);
    }

    [Fact]
    public async Task Bookedbarber_BadMigration_DatabaseRestoredThroughTheProvidersApiThenTrafficBackWithinTheDocumentsTargets()
    {
        await using var seed = await BookedbarberStack.StartAsync();

        var output = await seed.Stack.RunDrillAsync("bad-migration");

        var run = (await seed.Stack.Admin.GetDrillRunsAsync("bad-migration")).ShouldHaveSingleItem();
        var report = run.Report.ShouldNotBeNull();
        report.Data.ShouldNotBeNull().Lost.ShouldBeGreaterThan(0, "marks written after v3 started deploying go with the restore, by design");
        report.Measures.Single(m => m.Name == "rpo").Seconds.ShouldNotBeNull().ShouldBeInRange(0.001, 300, output);
        var rollback = await seed.Stack.Admin.GetRollbackAsync(report.Rollbacks.ShouldHaveSingleItem());
        var restore = rollback.Steps[0];
        restore.Status.ShouldBe("succeeded", output);
        var restoredTo = DateTimeOffset.Parse(Regex.Match(restore.Description, "\"--time\", \"(?<time>[^\"]+)\"", RegexOptions.None, TimeSpan.FromSeconds(1)).Groups["time"].Value, CultureInfo.InvariantCulture);
        restoredTo.ShouldBeInRange(report.FaultAt!.Value.AddSeconds(-2), report.FaultAt.Value, "back to when v3 was recorded as deploying, just before its switch (the fault)");
        restore.Output.ShouldNotBeNull().ShouldStartWith("try 2 of 3: exit 0", customMessage: "the first try met the provider's transient failure (--fail-fraction, seeded) and the plan's retries tried again");
        restore.Output.ShouldNotContain(Rewind.TestUtils.ManagedPostgresServer.Token);
        rollback.Steps.Select(s => s.Kind).ShouldBe(["command", "traffic", "maintenance", "command", "wait-healthy"], output);
        (await seed.AppointmentsAsync()).ShouldBe(100, "the appointments the migration deleted are back");
        (await seed.Redis.CommandAsync("EXISTS page:home")).ShouldContain(":0", customMessage: "the cache was emptied");
        (await seed.ServingAsync()).ShouldContain("\"version\":\"v1\"");
    }
}
