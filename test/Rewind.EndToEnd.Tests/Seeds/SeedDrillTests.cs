using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>
/// The seed stacks of samples/seeds, each run on this machine and rehearsed with its drill: a test fails when a drill
/// misses a target its system's document states (the targets are in the seed's config).
/// </summary>
public sealed partial class SeedDrillTests
{
    private static readonly TimeSpan Deadline = SeedStack.Deadline;

    /// <summary>The sample service's releases under <c>ROOT/app</c> (each broken or not), <c>current</c> on the first.</summary>
    private static string InstallApp(string root, params (string Version, bool Broken)[] releases)
    {
        var app = Path.Combine(root, "app");
        foreach (var (version, broken) in releases)
        {
            SampleRelease.Install(Repository.BuildOutput("SampleService"), app, version, broken);
        }

        File.CreateSymbolicLink(Path.Combine(app, "current"), Path.Combine("releases", releases[0].Version));
        return app;
    }

    internal static async Task<int> ServiceCtlAsync(string app, int port, string verb)
    {
        var result = await new ProcessRunner().RunAsync(new ProcessRequest([Deployment.ServiceCtl, verb, app, SeedStack.Port(port)], app, TimeSpan.FromSeconds(30)));
        return result.ExitCode ?? -1;
    }

    private static async Task<string> ServingVersionAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{SeedStack.Port(port)}/health"));
    }

    internal static async Task RecordStableAsync(SeedStack stack, string component, string version)
    {
        await stack.Admin.RecordReleaseAsync(component, new Client.RecordReleaseRequest(version));
        await Eventually.WaitAsync(async () => (await stack.Admin.GetReleasesAsync(component)).Any(r => r.Version == version && r.State == "stable"), Deadline, $"{component} {version} to become stable");
    }
}
