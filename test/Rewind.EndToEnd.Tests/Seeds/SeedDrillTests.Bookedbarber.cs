using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>BookedBarber: each release's instance behind real HAProxy, Redis, PostgreSQL; a bad release takes all traffic.</summary>
public sealed partial class SeedDrillTests
{
    [Fact]
    public async Task Bookedbarber_BadRelease_TrafficBackInStagesWithoutDataLossWithinTheDocumentsTargets()
    {
        await using var stack = await SeedStack.CopyAsync("bookedbarber");
        var blue = InstallApp(Path.Combine(stack.Root, "v1"), ("v1", false));
        var green = InstallApp(Path.Combine(stack.Root, "v2"), ("v2", true));
        var (bluePort, greenPort) = (SampleRelease.FreeLoopbackPort(), SampleRelease.FreeLoopbackPort());
        await using var haproxy = await HaproxyProcess.StartAsync([("app-v1", bluePort, 256), ("app-v2", greenPort, 0)], backend: "web");
        using var redis = await RedisServer.StartAsync();
        await using var database = await PostgresDatabase.CreateAsync();
        stack.Fill(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@HAPROXY_ADMIN@"] = haproxy.AdminSocket, ["@FRONTEND_URL@"] = haproxy.FrontendUrl, ["@REDIS_PORT@"] = SeedStack.Port(redis.Port), ["@PG_URL@"] = database.Url,
        });
        try
        {
            (await ServiceCtlAsync(blue, bluePort, "start")).ShouldBe(0);
            (await ServiceCtlAsync(green, greenPort, "start")).ShouldBe(0);
            await stack.StartAsync(new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = Environment.GetEnvironmentVariable("PATH")! });
            await RecordStableAsync(stack, "app", "v1");
            (await redis.CommandAsync("SET page:home cached")).ShouldContain("OK");

            await stack.RunDrillAsync("bad-release");

            var run = (await stack.Admin.GetDrillRunsAsync("bad-release")).ShouldHaveSingleItem();
            var report = run.Report.ShouldNotBeNull();
            report.Data.ShouldNotBeNull().Lost.ShouldBe(0);
            report.Data.Acknowledged.ShouldBeGreaterThan(0);
            report.Events.ShouldContain(e => e.What.Contains("traffic", StringComparison.Ordinal) && e.Outcome == "succeeded");
            (await redis.CommandAsync("EXISTS page:home")).ShouldContain(":0", customMessage: "the cache was emptied");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            (await http.GetStringAsync(new Uri(haproxy.FrontendUrl + "/health"))).ShouldContain("\"version\":\"v1\"");
        }
        finally
        {
            await ServiceCtlAsync(blue, bluePort, "stop");
            await ServiceCtlAsync(green, greenPort, "stop");
        }
    }
}
