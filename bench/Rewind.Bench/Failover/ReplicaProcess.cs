using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rewind.Client;

namespace Rewind.Bench.Failover;

/// <summary>One <c>rewind serve</c> replica in a process of its own, its output kept for the report; signals by <c>kill</c>.</summary>
internal sealed class ReplicaProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private ReplicaProcess(string name, string url, Process process, string token)
    {
        Name = name;
        Url = url;
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(5) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Client = new RewindClient(_http);
    }

    public string Name { get; }

    public string Url { get; }

    public RewindClient Client { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ReplicaProcess Start(string repository, string config, string name, int port, string token)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo(Path.Combine(repository, "rewind")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "serve", "--config", config, "--replica", name, "--listen", url })
        {
            info.ArgumentList.Add(argument);
        }

        var replica = new ReplicaProcess(name, url, Process.Start(info)!, token);
        replica._process.OutputDataReceived += (_, e) => replica.Append(e.Data);
        replica._process.ErrorDataReceived += (_, e) => replica.Append(e.Data);
        replica._process.BeginOutputReadLine();
        replica._process.BeginErrorReadLine();
        return replica;
    }

    /// <summary>Sends <paramref name="signal"/> (KILL, TERM, STOP, CONT) to the controller's process (the launcher execs it).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit(5_000);
    }

    public async Task WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _http.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
