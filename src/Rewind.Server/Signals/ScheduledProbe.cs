using Rewind.Core.Configuration;
using Rewind.Core.Signals;

namespace Rewind.Server.Signals;

/// <summary>One probe the scheduler runs: its component, its name and its config.</summary>
internal sealed record ScheduledProbe(string Component, string Name, ProbeConfig Config);

/// <summary>A run that was measured: its sample, and when its run was due.</summary>
internal sealed record MeasuredRun(ScheduledProbe Probe, ProbeSample Sample, DateTimeOffset Due);

/// <summary>
/// Runs of one probe that were not measured: no sample, nothing for any policy. <paramref name="Count"/> runs (ticks of
/// the probe's interval) were skipped at once when the controller fell more than one interval behind.
/// </summary>
internal sealed record NotMeasuredRun(ScheduledProbe Probe, DateTimeOffset Due, DateTimeOffset At, NotMeasuredReason Reason, int Count = 1);

/// <summary>What the scheduler does with each run: a measured one, runs not measured, and a run that threw (a bug).</summary>
internal sealed record ProbeRunHandlers(
    Func<MeasuredRun, CancellationToken, Task> Measured,
    Action<NotMeasuredRun> NotMeasured,
    Action<ScheduledProbe, Exception> Failed);
