using System.Globalization;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Tests.Support;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>
/// A release-dir deployment of the sample service in a temp directory, run by <c>samples/servicectl</c> on a free
/// loopback port. Disposing stops the service (and kills it if servicectl cannot) and deletes the directory.
/// </summary>
public sealed class SampleDeployment : IAsyncDisposable
{
    private static readonly TimeSpan ServicectlTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();
    private readonly ProcessRunner _runner = new();

    public SampleDeployment()
    {
        Port = LoopbackServer.UnusedPort();
    }

    public string Root => _directory.Path;

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static string RepositoryRoot => Rewind.TestUtils.Repository.Root;

    public static string Servicectl => Path.Combine(RepositoryRoot, "samples", "servicectl");

    /// <summary>Installs the sample service's build output as <c>releases/&lt;version&gt;</c> with its own release.json.</summary>
    public void AddRelease(string version, string fault, int startupDelayMs = 0) =>
        Rewind.Runtime.Samples.SampleRelease.Install(SampleServiceOutput(), Root, version, fault == "broken", startupDelayMs);

    public IReadOnlyList<string> ServicectlArgv(string command) =>
        [Servicectl, command, Root, Port.ToString(CultureInfo.InvariantCulture)];

    public async Task<ProcessResult> ServicectlAsync(string command)
    {
        var request = new ProcessRequest(ServicectlArgv(command), Root, ServicectlTimeout)
        {
            Environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["DOTNET"] = DotnetHost() },
        };
        return await _runner.RunAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ServicectlAsync("stop");
        }
        finally
        {
            var pidFile = Path.Combine(Root, "service.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                ProcessTable.Kill(pid);
            }

            _directory.Dispose();
        }
    }

    /// <summary>The host running this test is the dotnet the sample service should run on.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static string SampleServiceOutput()
    {
        // Built alongside the tests (a project reference), in the same configuration.
        var output = Rewind.TestUtils.Repository.BuildOutput("SampleService");
        File.Exists(Path.Combine(output, "SampleService.dll")).ShouldBeTrue($"the sample service is not built at {output}");
        return output;
    }
}
