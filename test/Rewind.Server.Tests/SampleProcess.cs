using System.Diagnostics;
using System.Globalization;
using System.Net;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.Server.Tests;

/// <summary>
/// The sample service (samples/SampleService, built alongside the tests) run straight from its build output on a free
/// loopback port: a healthy "dev" release whose faults the test sets through <c>/admin/fault</c>. Disposing kills it.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private SampleProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    public static async Task<SampleProcess> StartAsync()
    {
        var dll = Path.Combine(Repository.BuildOutput("SampleService"), "SampleService.dll");
        File.Exists(dll).ShouldBeTrue($"the sample service is not built at {dll}");
        var port = SampleRelease.FreeLoopbackPort();
        var start = new ProcessStartInfo(DotnetHost())
        {
            ArgumentList = { dll, "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}") },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var sample = new SampleProcess(Process.Start(start)!, port);
        sample._process.OutputDataReceived += (_, _) => { };
        sample._process.ErrorDataReceived += (_, _) => { };
        sample._process.BeginOutputReadLine();
        sample._process.BeginErrorReadLine();
        try
        {
            await Eventually.WaitAsync(
                async () =>
                {
                    using var response = await sample._http.GetAsync(new Uri(sample.BaseUrl + "/health"));
                    return response.StatusCode == HttpStatusCode.OK;
                },
                TimeSpan.FromSeconds(60),
                "the sample service to answer healthy");
        }
        catch
        {
            await sample.DisposeAsync();
            throw;
        }

        return sample;
    }

    /// <summary>Makes this fraction of requests to <c>/</c> answer 500 while <c>/health</c> stays 200.</summary>
    public async Task SetErrorFractionAsync(double fraction)
    {
        using var body = new StringContent(string.Create(CultureInfo.InvariantCulture, $$"""{"errorFraction": {{fraction}}}"""), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(BaseUrl + "/admin/fault"), body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Sends requests to <c>/</c>, one after another, until cancelled: real traffic for the metrics.</summary>
    public async Task SendTrafficAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(BaseUrl + "/"), cancellationToken);
#pragma warning disable RS0030 // the pace of the traffic it sends, not a wait of the test
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
#pragma warning restore RS0030
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The host running this test is the dotnet the sample service should run on.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
