using System.Text.Json;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>Must Be Viral: five workers (one the sample service, four through wrangler) and Pages; a bad worker release.</summary>
public sealed partial class SeedDrillTests
{
    [Fact]
    public async Task MustBeViral_BadWorkerRelease_EveryWorkerAndTheSiteBackWithinTheDocumentsTargets()
    {
        await using var stack = await SeedStack.CopyAsync("must-be-viral");
        var app = InstallApp(stack.Root, ("v1", false), ("v2", true));
        var (bin, calls) = (Directory.CreateDirectory(Path.Combine(stack.Root, "bin")).FullName, Directory.CreateDirectory(Path.Combine(stack.Root, "cli-calls")).FullName);
        File.CreateSymbolicLink(Path.Combine(bin, "wrangler"), Path.Combine(Repository.Root, "samples", "fakes", "fake-cli"));
        var service = SampleRelease.FreeLoopbackPort();
        stack.Fill(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@SERVICE_PORT@"] = SeedStack.Port(service), ["@SERVICECTL@"] = Deployment.ServiceCtl, ["@APP_ROOT@"] = app,
        });
        try
        {
            (await ServiceCtlAsync(app, service, "start")).ShouldBe(0);
            await stack.StartAsync(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["FAKE_CLI_STATE"] = calls,
            });
            await RecordStableAsync(stack, "workers", "v1");

            await stack.RunDrillAsync("bad-worker-release");

            var wrangler = (await File.ReadAllLinesAsync(Path.Combine(calls, "calls.log")))
                .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList())
                .ToList();
            wrangler.Where(argv => argv[0] == "rollback").Select(argv => argv[3]).Order(StringComparer.Ordinal)
                .ShouldBe(["auth-worker", "cron-worker", "media-worker", "queue-worker"]);
            wrangler.ShouldContain(argv => argv.Count > 1 && argv[0] == "pages" && argv.Contains("v1"));
            (await ServingVersionAsync(service)).ShouldContain("\"version\":\"v1\"");
        }
        finally
        {
            await ServiceCtlAsync(app, service, "stop");
        }
    }
}
