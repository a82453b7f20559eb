using System.Diagnostics;
using System.Text;
using Shouldly;

namespace Rewind.TestUtils;

/// <summary>The real <c>rewind</c> executable in a child process; output captured for failure messages.</summary>
public sealed class RewindProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RewindProcess(Process process)
    {
        _process = process;
    }

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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static RewindProcess Start(params string[] args) => Start(new Dictionary<string, string>(StringComparer.Ordinal), args);

    /// <summary>As <see cref="Start(string[])"/>, with extra environment variables (REWIND_TOKEN).</summary>
    public static RewindProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Repository.BuildOutput("Rewind.Cli"), "rewind.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["REWIND_HOME"] = Repository.Root;
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        var wrapper = new RewindProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>SIGKILL: no shutdown hook runs, exactly like a crashed or OOM-killed controller.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, as a service manager or Ctrl+C would stop it: shutdown hooks run.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends <paramref name="signal"/> (<c>STOP</c>, <c>CONT</c>, <c>TERM</c>) to the process: STOP freezes it as a hung host or a long GC pause would.</summary>
    public void Signal(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit(5_000);
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Runs <c>rewind access init</c> on the config's store, as an operator does once, and returns the admin token it prints.</summary>
    public static async Task<string> InitAccessAsync(string configPath)
    {
        using var init = Start("access", "init", "admin", "--config", configPath);
        (await init.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, init.Output);
        return init.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("rwt_", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
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
