using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>QRMFG: a frontend and its `.env` (a files component) in a group; a configuration release that lost a setting.</summary>
public sealed partial class SeedDrillTests
{
    private const string GoodEnv = "API_URL=http://127.0.0.1:9/api\nFEATURE_QR=on\n";

    [Fact]
    public async Task Qrmfg_BadConfigRelease_LastGoodConfigurationBackWithinTheDocumentsTargets()
    {
        await using var stack = await SeedStack.CopyAsync("qrmfg");
        var app = InstallApp(stack.Root, ("v1", false));
        var env = Path.Combine(Directory.CreateDirectory(Path.Combine(stack.Root, "env")).FullName, "frontend.env");
        await File.WriteAllTextAsync(env, GoodEnv);
        await using var database = await PostgresDatabase.CreateAsync();
        var service = SampleRelease.FreeLoopbackPort();
        stack.Fill(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@SERVICE_PORT@"] = SeedStack.Port(service), ["@SERVICECTL@"] = Deployment.ServiceCtl, ["@APP_ROOT@"] = app,
            ["@ENV_FILE@"] = env, ["@PG_URL@"] = database.Url,
        });
        try
        {
            (await ServiceCtlAsync(app, service, "start")).ShouldBe(0);
            await stack.StartAsync();
            await RecordStableAsync(stack, "frontend", "v1");
            await RecordStableAsync(stack, "config", "v1");
            // v2 is recorded once with its files (the copy the drill deploys), then v1 is in place again, before v2 could take effect.
            await File.WriteAllTextAsync(env, "FEATURE_QR=on\n");
            await stack.Admin.RecordReleaseAsync("config", new Client.RecordReleaseRequest("v2", Deploying: true));
            await File.WriteAllTextAsync(env, GoodEnv);
            await stack.Admin.RecordReleaseAsync("config", new Client.RecordReleaseRequest("v1"));

            await stack.RunDrillAsync("bad-config");

            (await File.ReadAllTextAsync(env)).ShouldBe(GoodEnv);
            var run = (await stack.Admin.GetDrillRunsAsync("bad-config")).ShouldHaveSingleItem();
            run.Components.ShouldBe(["config", "frontend"]);
            run.Report.ShouldNotBeNull().Data.ShouldNotBeNull().Lost.ShouldBe(0);
            (await stack.Admin.GetIncidentsAsync()).ShouldAllBe(i => i.DrillRun == run.Id, "no real incident came of the drill or its preparation");
        }
        finally
        {
            await ServiceCtlAsync(app, service, "stop");
        }
    }
}
