using System.Diagnostics;
using System.Globalization;
using Shouldly;

namespace Rewind.TestUtils;

/// <summary>
/// A Prometheus server of a test's own (the <c>prometheus</c> binary ./test.sh installs), on a loopback port the test
/// chooses, with no scrape targets: for tests that take Prometheus down and bring it back. Disposing kills it and
/// deletes its data.
/// </summary>
public sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private PrometheusProcess(Process process, string directory, string url)
    {
        _process = process;
        _directory = directory;
        Url = url;
    }

    public string Url { get; }

    public static async Task<PrometheusProcess> StartAsync(int port)
    {
        var directory = Directory.CreateTempSubdirectory("rewind-test-prom-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global: { scrape_interval: 1s, evaluation_interval: 1s }\n");
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("prometheus")
        {
            ArgumentList =
            {
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{port}"),
            },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Directory.Delete(directory, recursive: true);
            throw new ShouldAssertException("cannot start prometheus (./test.sh installs it): " + ex.Message, ex);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusProcess(process, directory, url);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Eventually.WaitAsync(
                async () =>
                {
                    process.HasExited.ShouldBeFalse($"prometheus on {url} exited with {(process.HasExited ? process.ExitCode : 0)}");
                    using var response = await http.GetAsync(new Uri(url + "/-/ready"));
                    return response.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(30),
                $"a Prometheus of the test's own to be ready on {url}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
