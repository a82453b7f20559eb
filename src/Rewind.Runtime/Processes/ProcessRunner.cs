using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rewind.Runtime.Processes;

/// <summary>
/// Runs an argument vector as a child process (never through a shell) in a session and process group of its own, with a
/// timeout that ends the whole group (SIGTERM, then SIGKILL after <see cref="StopGrace"/>), and captures the tail of its
/// output. Expected failures (non-zero exit, timeout, missing executable) are values; only the caller's cancellation
/// throws, after the group is ended.
/// </summary>
public sealed partial class ProcessRunner
{
    /// <summary>How many characters of combined stdout and stderr are kept: the last 64 KiB.</summary>
    public const int OutputLimit = 64 * 1024;

    /// <summary>How long a process group has between SIGTERM and SIGKILL when it is ended: 5 seconds.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long to keep reading output after the process exited, for grandchildren that still hold the pipes.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _timeProvider;

    /// <summary>The clock the runner's timeouts run on; callers that wait around a process use the same one.</summary>
    public TimeProvider Time => _timeProvider;
    private readonly ILogger _logger;

    public ProcessRunner(TimeProvider? timeProvider = null, ILogger<ProcessRunner>? logger = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Argv.Count == 0)
        {
            throw new ArgumentException("The argument vector is empty.", nameof(request));
        }

        using var span = Tracing.RewindTracing.StartProcess(request); // null unless a rollback step (or another traced operation) runs it
        var result = await RunProcessAsync(request, cancellationToken);
        Tracing.RewindTracing.Ended(span, result);
        return result;
    }

    private async Task<ProcessResult> RunProcessAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        var executable = request.Secrets.Redact(request.Argv[0]);
        var output = new BoundedOutput(OutputLimit, request.Secrets);
        var started = _timeProvider.GetTimestamp();
        var (path, missing) = Executables.Resolve(request.Argv[0]);
        if (path is null)
        {
            return NotStarted(executable, missing!, started);
        }

        if (request.WorkingDirectory is { Length: > 0 } directory && !Directory.Exists(directory))
        {
            return NotStarted(executable, $"working directory {directory} does not exist", started);
        }

        using var process = new Process { StartInfo = CreateStartInfo(request, path) };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or IOException)
        {
            return NotStarted(executable, request.Secrets.Redact(ex.Message), started);
        }

        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output));
        var group = await RecordStartedAsync(request, process, executable, cancellationToken);
        using var timeout = new CancellationTokenSource(request.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var input = FeedAsync(process.StandardInput, request.StandardInput, linked.Token);
        var (timedOut, gone) = await WaitAsync(process, request, group, executable, linked.Token, cancellationToken);
        var duration = _timeProvider.GetElapsedTime(started);
        await input;
        await DrainAsync(pumps, output);
        if (gone)
        {
            await RecordEndedAsync(request, group);
        }

        return new ProcessResult(process.HasExited ? process.ExitCode : null, output.ToString(), duration, timedOut);
    }

    /// <summary>Waits for the exit; on timeout ends the group (true, and whether it is gone); on the caller's cancellation ends it and throws.</summary>
    private async Task<(bool TimedOut, bool Gone)> WaitAsync(Process process, ProcessRequest request, Core.Runbooks.StepProcess? group, string executable, CancellationToken limit, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForExitAsync(limit);
            return (false, true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (_logger.IsEnabled(LogLevel.Warning))
            {
                LogTimedOut(_logger, executable, Rewind.Core.Configuration.Durations.Format(request.Timeout));
            }

            return (true, await EndGroupAsync(process, executable));
        }
        catch (OperationCanceledException)
        {
            if (await EndGroupAsync(process, executable))
            {
                await RecordEndedAsync(request, group);
            }

            throw;
        }
    }

    private ProcessResult NotStarted(string executable, string reason, long started)
    {
        LogNotStarted(_logger, executable, reason);
        return new ProcessResult(null, "", _timeProvider.GetElapsedTime(started), TimedOut: false, $"cannot start {executable}: {reason}");
    }

    /// <summary>
    /// <c>setsid</c> with the resolved program and its arguments after it: started by this process (not a group leader),
    /// setsid makes a new session and group and execs the program in place, so the group id is the pid.
    /// </summary>
    private static ProcessStartInfo CreateStartInfo(ProcessRequest request, string path)
    {
        var startInfo = new ProcessStartInfo(ProcessGroups.Setsid)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = request.WorkingDirectory ?? "",
        };
        startInfo.ArgumentList.Add(path);
        for (var i = 1; i < request.Argv.Count; i++)
        {
            startInfo.ArgumentList.Add(request.Argv[i]);
        }

        foreach (var (name, value) in request.Environment ?? new Dictionary<string, string?>(StringComparer.Ordinal))
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }

    /// <summary>Writes the input (if any) and closes stdin; a process that exits without reading it is not an error.</summary>
    private static async Task FeedAsync(StreamWriter stdin, string? text, CancellationToken cancellationToken)
    {
        try
        {
            if (text is not null)
            {
                await stdin.WriteAsync(text.AsMemory(), cancellationToken);
                await stdin.FlushAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The process closed its stdin or went away: its exit code tells the rest.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // Broken pipe on the final flush: nothing more to deliver.
            }
        }
    }

    private static async Task PumpAsync(StreamReader reader, BoundedOutput output)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                output.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process; what was read is kept.
        }
    }

    private async Task DrainAsync(Task pumps, BoundedOutput output)
    {
        try
        {
            await pumps.WaitAsync(DrainGrace, _timeProvider);
        }
        catch (TimeoutException)
        {
            // A detached grandchild kept stdout or stderr open; its output is not this process's result.
            output.Append("\n[stopped reading: output still open after exit]\n");
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Process {Executable} did not start: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string executable, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Process {Executable} ran past its timeout of {Timeout}; ending its process group")]
    private static partial void LogTimedOut(ILogger logger, string executable, string timeout);
}
