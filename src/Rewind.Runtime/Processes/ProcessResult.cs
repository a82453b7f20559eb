using System.Globalization;
using Rewind.Core.Configuration;

namespace Rewind.Runtime.Processes;

/// <summary>What happened to one process run. Failing, timing out and not starting at all are values, not exceptions.</summary>
/// <param name="ExitCode">The exit code; <see langword="null"/> when the process did not start.</param>
/// <param name="Output">The last <see cref="ProcessRunner.OutputLimit"/> characters of stdout and stderr, interleaved as they arrived.</param>
/// <param name="Duration">From start to exit (or to the kill).</param>
/// <param name="TimedOut">The process ran past its timeout and its process group was ended.</param>
/// <param name="StartError">Why the process could not start (missing executable or working directory), else <see langword="null"/>.</param>
public sealed record ProcessResult(int? ExitCode, string Output, TimeSpan Duration, bool TimedOut, string? StartError = null)
{
    /// <summary>Started, finished within its timeout and exited 0.</summary>
    public bool Succeeded => StartError is null && !TimedOut && ExitCode == 0;

    /// <summary>One line for records: <c>exit 0 in 120ms</c>, <c>timed out after 5s</c>, <c>did not start: …</c>.</summary>
    public string Describe() => this switch
    {
        { StartError: { } error } => "did not start: " + error,
        { TimedOut: true } => "timed out after " + Durations.Format(Duration) + "; process group ended",
        _ => string.Create(CultureInfo.InvariantCulture, $"exit {ExitCode} in {Durations.Format(Duration)}"),
    };
}
