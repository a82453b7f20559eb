using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Traffic;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs <see cref="TrafficStep"/> against HAProxy's runtime API: waits until every <c>to</c> server is up in HAProxy's
/// own health checks, then applies the stages in order, each followed by its gate, polling HAProxy every
/// <see cref="PollInterval"/>.
/// </summary>
/// <remarks>
/// <para>
/// Up means status UP and a passing last check (L4OK, L6OK, L7OK) or no check configured. A server that is still
/// initialising its checks, down, draining or in maintenance is cold: no stage ever puts weight on it.
/// </para>
/// <para>
/// Resuming: the runner reads the weights and, when they are exactly a stage's, carries on from that stage (its gate is
/// held again, as a crash may have cut it short); otherwise it starts at the first stage. Setting a weight twice is
/// harmless.
/// </para>
/// <para>
/// Failing: a <c>to</c> server not up during a gate, the timeout, or HAProxy refusing a command after a stage was
/// (partly) applied sets every server back to the weights of the stage before (0 % before the first): the last stage
/// that held its whole gate. When no weight was moved, nothing is touched. The outcome says what happened in order.
/// </para>
/// </remarks>
public sealed partial class TrafficStepRunner : IStepRunner
{
    /// <summary>How often HAProxy is asked while waiting for servers and during gates: 100 ms.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="timeProvider">Time for polling, gates and the timeout; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Optional.</param>
    public TrafficStepRunner(TimeProvider? timeProvider = null, ILogger<TrafficStepRunner>? logger = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string Kind => TrafficStep.KindName;

    public async Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default)
    {
        var planned = StepRunnerGuard.Expect<TrafficStep>(planStep);
        var shift = new TrafficShift(planned, new HaproxyRuntime(planned.Socket, timeProvider: _time), _time, _logger);
        using var timeout = new CancellationTokenSource(planned.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await shift.RunAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await shift.FailAsync($"timeout {Durations.Format(planned.Timeout)} reached {shift.Doing}", cancellationToken);
        }
        catch (HaproxyRuntimeException ex)
        {
            return await shift.FailAsync(ex.Message, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Traffic on {Backend}: stage {Stage} applied: {Weights}")]
    internal static partial void LogStageApplied(ILogger logger, string backend, int stage, string weights);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Traffic on {Backend} failed: {Reason}")]
    internal static partial void LogShiftFailed(ILogger logger, string backend, string reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Traffic on {Backend} set back to {Weights}")]
    internal static partial void LogSetBack(ILogger logger, string backend, string weights);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Debug, Message = "Traffic on {Backend}: HAProxy did not answer, asking again: {Error}")]
    internal static partial void LogHaproxyUnanswered(ILogger logger, string backend, string error);
}
