using System.Globalization;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Signals;

/// <summary>Runs an argument vector (never through a shell); passes on the expected exit code within the probe's timeout.</summary>
public sealed class CommandProbe(ProcessRunner runner, TimeProvider? timeProvider = null) : IProbe
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var at = _time.GetUtcNow();
        if (config.Command is not { } command)
        {
            return new ProbeSample(component, probe, at, false, 0, "not a command probe");
        }

        var result = await runner.RunAsync(new ProcessRequest(command.Argv, null, config.Timeout), cancellationToken);
        var passed = result.StartError is null && !result.TimedOut && result.ExitCode == command.ExpectExit;
        var error = passed ? null : result.StartError is not null || result.TimedOut
            ? result.Describe()
            : string.Create(CultureInfo.InvariantCulture, $"exit {result.ExitCode}, expected {command.ExpectExit}: {LastLine(result.Output)}");
        return new ProbeSample(component, probe, at, passed, result.Duration.TotalMilliseconds, error);
    }

    private static string LastLine(string output)
    {
        var line = output.TrimEnd().Split('\n')[^1].Trim();
        return line.Length > 200 ? line[..200] : line;
    }
}
