using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Releases;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>
/// A release-dir deployment of the sample service in a temp directory, run by <c>samples/servicectl</c> on a free
/// loopback port. Disposing stops the service (and kills it if servicectl cannot) and deletes the directory.
/// </summary>
public sealed class SampleDeployment : IAsyncDisposable
{
    private static readonly TimeSpan ServicectlTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions ReleaseJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
    private readonly TempDirectory _directory = new();
    private readonly ProcessRunner _runner = new();

    public SampleDeployment()
    {
        Port = Rewind.Runtime.Samples.SampleRelease.FreeLoopbackPort();
    }

    public string Root => _directory.Path;

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static string RepositoryRoot => Rewind.TestUtils.Repository.Root;

    public static string Servicectl => Path.Combine(RepositoryRoot, "samples", "servicectl");

    /// <summary>Installs the sample service's build output as <c>releases/&lt;version&gt;</c> with its own release.json.</summary>
    public void AddRelease(string version, string fault, int startupDelayMs = 0) =>
        Rewind.Runtime.Samples.SampleRelease.Install(SampleServiceOutput(), Root, version, fault == "broken", startupDelayMs);

    /// <summary>Installs a healthy release whose release.json adds graded faults, and may report another version.</summary>
    public void AddRelease(string version, SampleFaults faults, string? reportedVersion = null)
    {
        AddRelease(version, "none");
        var release = new
        {
            version = reportedVersion ?? version,
            fault = "none",
            startupDelayMs = 0,
            faults.ErrorFraction,
            faults.AddedLatencyMs,
            faults.MemoryGrowthMbPerMinute,
        };
        File.WriteAllText(Path.Combine(Root, "releases", version, "release.json"), JsonSerializer.Serialize(release, ReleaseJson));
    }

    /// <summary>Makes <paramref name="version"/> current, starts it and waits until <c>/health</c> answers 200.</summary>
    public async Task StartAsync(string version)
    {
        ReleaseDirectory.Switch(Root, version);
        var start = await ServicectlAsync("start");
        start.Succeeded.ShouldBeTrue(start.Output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.WaitAsync(async () => await HealthStatusAsync(http) == HttpStatusCode.OK, StartDeadline, $"{version} to answer healthy");
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

    private async Task<HttpStatusCode?> HealthStatusAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(BaseUrl + "/health"));
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
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

/// <summary>The optional graded-fault fields of a sample release's release.json; null leaves a field out.</summary>
public sealed record SampleFaults(double? ErrorFraction = null, int? AddedLatencyMs = null, double? MemoryGrowthMbPerMinute = null);
