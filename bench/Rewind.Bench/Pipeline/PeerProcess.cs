using System.Collections.Concurrent;
using System.Diagnostics;

namespace Rewind.Bench.Pipeline;

/// <summary>
/// A peer the benchmark starts (Prometheus, Alertmanager), its output appended to a log file. Disposing kills it; so
/// does the end of the benchmark's process, however it ends, so no peer outlives a failed or interrupted run.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<PeerProcess, bool> Running = new();
    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _closed;

    static PeerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    private PeerProcess(Process process, StreamWriter log, string name)
    {
        _process = process;
        _log = log;
        Name = name;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The process id, for its CPU time in <c>/proc</c>.</summary>
    public int Id => _process.Id;

    public static PeerProcess Start(string name, string executable, IEnumerable<string> arguments, string logFile)
    {
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var peer = new PeerProcess(process, log, name);
        Running[peer] = true;
        process.OutputDataReceived += (_, e) => peer.Write(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>The first line of <c>EXECUTABLE --version</c>, e.g. "prometheus, version 2.42.0+ds (...)".</summary>
    public static async Task<string> VersionAsync(string executable)
    {
        var info = new ProcessStartInfo(executable, "--version") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "unknown";
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        Running.TryRemove(this, out _);
        _process.Dispose();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // it exited between the check and the kill
        }
    }

    private static void KillAll()
    {
        foreach (var peer in Running.Keys)
        {
            peer.Kill();
        }
    }
}
