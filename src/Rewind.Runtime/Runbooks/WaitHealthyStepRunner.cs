using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Core.Signals;
using Rewind.Runtime.Signals;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs <see cref="WaitHealthyStep"/>: polls every named probe until each has passed <see cref="WaitHealthyStep.Successes"/>
/// times in a row, or fails with each unhealthy probe's last error when the step's timeout runs out.
/// </summary>
/// <remarks>
/// Probes are polled at their configured interval but at least every <see cref="MaxPollInterval"/>: right after a rollback
/// the question is "healthy yet?", and a 10 s monitoring interval would make the answer 10 s late.
/// </remarks>
public sealed partial class WaitHealthyStepRunner : IStepRunner
{
    /// <summary>The longest pause between two runs of one probe while waiting: 250 ms.</summary>
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the probes run while the component has not yet passed once since the restart.</summary>
    public static readonly TimeSpan FirstPassPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly IProbe _probe;
    private readonly Func<string, IReadOnlyDictionary<string, ProbeConfig>?> _probesOf;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <param name="probe">Runs one probe.</param>
    /// <param name="probesOf">The probes of a component, by name; <see langword="null"/> for an unknown component.</param>
    /// <param name="timeProvider">Time for delays and the step's timeout; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Optional.</param>
    public WaitHealthyStepRunner(
        IProbe probe,
        Func<string, IReadOnlyDictionary<string, ProbeConfig>?> probesOf,
        TimeProvider? timeProvider = null,
        ILogger<WaitHealthyStepRunner>? logger = null)
    {
        _probe = probe;
        _probesOf = probesOf;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string Kind => WaitHealthyStep.KindName;

    public async Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default)
    {
        var planned = StepRunnerGuard.Expect<WaitHealthyStep>(planStep);
        if (planned.Probes.Count == 0)
        {
            return StepOutcome.Success($"{planned.Component} has no probes; nothing to wait for");
        }

        var (configs, withheld) = planned.Definitions is { } definitions ? ProbePasswords.Restore(definitions, _probesOf(planned.Component)) : (_probesOf(planned.Component), null);
        if (withheld is not null)
        {
            return StepOutcome.Failure(withheld);
        }

        var missing = planned.Probes.Where(name => configs is null || !configs.ContainsKey(name)).ToList();
        if (configs is null || missing.Count > 0)
        {
            return StepOutcome.Failure($"{planned.Component} has no probe named {string.Join(", ", missing)}");
        }

        var needed = Math.Max(1, planned.Successes);
        var watches = planned.Probes.Select(name => new ProbeWatch(name, configs[name])).ToList();
        var started = _timeProvider.GetTimestamp();
        using var timeout = new CancellationTokenSource(planned.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await Task.WhenAll(watches.Select(watch => WatchAsync(planned.Component, watch, needed, linked.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var unhealthy = watches.Where(w => w.Passes < needed).Select(w => w.Describe(needed));
            var limit = Durations.Format(planned.Timeout);
            LogNotHealthy(_logger, planned.Component, limit);
            return StepOutcome.Failure($"{planned.Component} not healthy within {limit}: {string.Join("; ", unhealthy)}");
        }

        var took = Durations.Format(_timeProvider.GetElapsedTime(started));
        LogHealthy(_logger, planned.Component, took);
        return StepOutcome.Success($"{planned.Component} healthy after {took}: {string.Join("; ", watches.Select(w => w.Describe(needed)))}");
    }

    private async Task WatchAsync(string component, ProbeWatch watch, int needed, CancellationToken cancellationToken)
    {
        var spacing = watch.Config.Interval < MaxPollInterval ? watch.Config.Interval : MaxPollInterval;
        while (true)
        {
            ProbeSample sample;
            try
            {
                sample = await _probe.RunAsync(component, watch.Name, watch.Config, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A probe that throws is a bug, but one bad probe must not stop the wait: it counts as a failure.
                sample = new ProbeSample(component, watch.Name, _timeProvider.GetUtcNow(), false, 0, "probe error: " + ex.Message);
            }

            watch.Record(sample);
            if (!sample.Success)
            {
                LogProbeFailing(_logger, component, watch.Name, sample.Error);
            }

            if (watch.Passes >= needed)
            {
                return;
            }

            // Until the first pass, poll fast: the restart is the only thing between us and recovery. After it,
            // passes are spaced out so that "healthy N times in a row" also means "healthy for a while".
            await Task.Delay(watch.Passes == 0 ? FirstPassPollInterval : spacing, _timeProvider, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Waiting for {Component}: probe {Probe} failed: {Error}")]
    private static partial void LogProbeFailing(ILogger logger, string component, string probe, string? error);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "{Component} is healthy after {Elapsed}")]
    private static partial void LogHealthy(ILogger logger, string component, string elapsed);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "{Component} did not become healthy within {Timeout}")]
    private static partial void LogNotHealthy(ILogger logger, string component, string timeout);

    private sealed class ProbeWatch(string name, ProbeConfig config)
    {
        public string Name { get; } = name;

        public ProbeConfig Config { get; } = config;

        public int Passes { get; private set; }

        public string? LastError { get; private set; }

        public void Record(ProbeSample sample)
        {
            Passes = sample.Success ? Passes + 1 : 0;
            LastError = sample.Success ? LastError : sample.Error;
        }

        public string Describe(int needed) => Passes >= needed
            ? $"{Name} passed {Passes}/{needed}"
            : $"{Name} {Passes}/{needed} passes, last error: {LastError ?? "none yet"}";
    }
}
