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

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Servicectl => Path.Combine(RepositoryRoot, "samples", "servicectl");

    /// <summary>Installs the sample service's build output as <c>releases/&lt;version&gt;</c> with its own release.json.</summary>
    public void AddRelease(string version, string fault, int startupDelayMs = 0)
    {
        var target = Path.Combine(Root, "releases", version);
        CopyDirectory(SampleServiceOutput(), target);
        File.WriteAllText(
            Path.Combine(target, "release.json"),
            $$"""{"version":"{{version}}","fault":"{{fault}}","startupDelayMs":{{startupDelayMs.ToString(CultureInfo.InvariantCulture)}}}""");
    }

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

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Rewind.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Rewind.slnx not found above " + AppContext.BaseDirectory);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}
