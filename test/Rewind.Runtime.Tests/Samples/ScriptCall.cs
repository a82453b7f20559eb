using System.Diagnostics;
using System.Globalization;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>One run of a sample script as a real process: its exit code, stdout and stderr.</summary>
internal sealed record ScriptCall(int ExitCode, string Stdout, string Stderr)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A start of <paramref name="script"/> with <paramref name="args"/>, output redirected and no variable starting with <paramref name="clearPrefix"/> inherited.</summary>
    public static ProcessStartInfo StartInfo(string script, IEnumerable<string> args, string clearPrefix, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith(clearPrefix, StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs the script to its end (killed after a minute, which fails the test).</summary>
    public static async Task<ScriptCall> RunAsync(ProcessStartInfo start)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return new ScriptCall(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException ex)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not exit within {CallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s", ex);
        }
    }
}
