using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>CVPlus: hosting, 127 functions (one the sample service, 126 fake-functions), Firestore (fake-firestore).</summary>
public sealed partial class SeedDrillTests
{
    [Fact]
    public async Task Cvplus_BadFunctionsReleaseAndBadDataMigration_RecoverWithinTheDocumentsTargets()
    {
        await using var stack = await SeedStack.CopyAsync("cvplus");
        var app = InstallApp(stack.Root, ("v1", false), ("v2", true));
        var bin = Directory.CreateDirectory(Path.Combine(stack.Root, "bin")).FullName;
        foreach (var (tool, fake) in new[] { ("firebase", "fake-cli"), ("fake-functions", "fake-functions"), ("fake-firestore", "fake-firestore") })
        {
            File.CreateSymbolicLink(Path.Combine(bin, tool), Path.Combine(Repository.Root, "samples", "fakes", fake));
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_CLI_STATE"] = Directory.CreateDirectory(Path.Combine(stack.Root, "cli-calls")).FullName,
            ["FAKE_FUNCTIONS_STATE"] = Path.Combine(stack.Root, "functions"),
            ["FAKE_FUNCTIONS_LATENCY_MS"] = "200", ["FAKE_FUNCTIONS_QUOTA"] = "20", ["FAKE_FUNCTIONS_FAIL_FRACTION"] = "0.02", ["FAKE_FUNCTIONS_SEED"] = "7",
            ["FAKE_FIRESTORE_STATE"] = Path.Combine(stack.Root, "firestore"), ["FAKE_FIRESTORE_LATENCY_MS"] = "500",
        };
        var service = SampleRelease.FreeLoopbackPort();
        stack.Fill(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@SERVICE_PORT@"] = SeedStack.Port(service), ["@SERVICECTL@"] = Deployment.ServiceCtl, ["@APP_ROOT@"] = app,
        });
        await PrepareFakesAsync(environment);
        try
        {
            (await ServiceCtlAsync(app, service, "start")).ShouldBe(0);
            await stack.StartAsync(environment);
            await RecordStableAsync(stack, "functions", "v1");
            await RecordStableAsync(stack, "firestore", "v1");

            await stack.RunDrillAsync("bad-functions-release");
            (await FakeAsync(environment, "fake-functions", "audit")).ShouldContain("\"v1\": 126", customMessage: "every function back on v1");
            (await ServingVersionAsync(service)).ShouldContain("\"version\":\"v1\"");

            await stack.RunDrillAsync("bad-data-migration");
            (await FakeAsync(environment, "fake-firestore", "get", "health/invariant")).ShouldContain("holds");
            (await FakeAsync(environment, "fake-firestore", "list", "cvs")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(50);
            var run = (await stack.Admin.GetDrillRunsAsync("bad-data-migration")).ShouldHaveSingleItem();
            run.Report.ShouldNotBeNull().Data.ShouldNotBeNull().Lost.ShouldBeGreaterThan(0, "the import of v1's export replaces what was written since");
        }
        finally
        {
            await ServiceCtlAsync(app, service, "stop");
        }
    }

    /// <summary>126 functions on v1; Firestore with data release v1 (50 CVs, the invariant, a mark) and v2 (a migration that loses them) exported, v1 in place.</summary>
    private static async Task PrepareFakesAsync(IReadOnlyDictionary<string, string> environment)
    {
        await FakeAsync(environment, "fake-functions", "init", "--count", "126", "--version", "v1");
        await FakeAsync(environment, "fake-firestore", "init");
        await FakeAsync(environment, "fake-firestore", "set", "health/migration", """{"schema": 2}""");
        await FakeAsync(environment, "fake-firestore", "set", "cvs/cv-migrated", """{"schema": 2}""");
        await FakeAsync(environment, "fake-firestore", "export", "gs://cvplus-releases/v2");
        await FakeAsync(environment, "fake-firestore", "init");
        await FakeAsync(environment, "fake-firestore", "set", "health/invariant", """{"state": "holds"}""");
        await FakeAsync(environment, "fake-firestore", "set", "marks/before-v1", "{}");
        for (var i = 1; i <= 50; i++)
        {
            await FakeAsync(environment, "fake-firestore", "set", $"cvs/cv-{i}", """{"schema": 1}""");
        }

        await FakeAsync(environment, "fake-firestore", "export", "gs://cvplus-releases/v1");
    }

    private static async Task<string> FakeAsync(IReadOnlyDictionary<string, string> environment, string tool, params string[] arguments)
    {
        var request = new ProcessRequest([Path.Combine(Repository.Root, "samples", "fakes", tool), .. arguments], Repository.Root, TimeSpan.FromSeconds(60))
        {
            Environment = environment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal),
        };
        var result = await new ProcessRunner().RunAsync(request);
        result.Succeeded.ShouldBeTrue($"{tool} {string.Join(' ', arguments)}: {result.Describe()}\n{result.Output}");
        return result.Output;
    }
}
