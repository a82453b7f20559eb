using Microsoft.Extensions.DependencyInjection;
using Rewind.Core.Configuration;
using Rewind.Core.Drills;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Runtime.Drills;
using Rewind.Runtime.Processes;

namespace Rewind.Engine.Drills;

/// <summary>
/// Runs one drill from request to report: checks again that nothing real is open on its components, marks it running
/// (so incidents opened on them belong to it), starts the data marks, makes the fault, then watches Rewind detect and
/// recover exactly as in production, approving gates itself only when the drill says so. Whatever happens it clears the
/// fault, marks a deployed drill release bad again, and writes the report with every figure against its target.
/// </summary>
internal sealed partial class DrillRunner(IStore store, ConfigHolder config, IServiceProvider services, ProcessRunner processes, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>The components a drill hits: its component, or its group's members.</summary>
    public static IReadOnlyList<string> ComponentsOf(RewindConfig config, DrillConfig drill)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(drill);
        return drill.Component is { } component ? [component]
            : drill.Group is { } group && config.Groups.TryGetValue(group, out var members) ? [.. members.Components] : [];
    }

    /// <summary>Why the drill may not start now (a real incident, a rollback or another drill on one of its components), or null.</summary>
    public async Task<string?> RefusalAsync(IReadOnlyList<string> components, string? runId, CancellationToken cancellationToken = default)
    {
        foreach (var component in components)
        {
            if (await store.GetOpenIncidentAsync(component, cancellationToken) is { } incident)
            {
                return incident.DrillRun is null
                    ? $"incident {incident.Id} is open on {component} ({incident.Title}); a drill never starts while a real incident is open"
                    : $"incident {incident.Id} of drill run {incident.DrillRun} is still open on {component}; resolve it first";
            }

            if (await store.GetRollbacksAsync(1, component, cancellationToken) is [{ IsActive: true } active])
            {
                return $"rollback {active.Id} is acting on {component}; a drill never starts while a rollback runs";
            }
        }

        var busy = (await store.GetOpenDrillRunsAsync(cancellationToken))
            .FirstOrDefault(r => r.Id != runId && r.Components.Intersect(components, StringComparer.Ordinal).Any());
        return busy is null ? null : $"drill run {busy.Id} ({busy.Drill}, {DrillRun.Describe(busy.Status)}) already hits {string.Join(", ", busy.Components.Intersect(components, StringComparer.Ordinal))}";
    }

    /// <summary>
    /// A new run of <paramref name="name"/>, requested; or, while something is open on its components, the run recorded
    /// as refused, saying what is open. The leader checks again when it starts the run.
    /// </summary>
    public async Task<DrillRun> RequestAsync(string name, DrillConfig drill, string requestedBy, bool scheduled, CancellationToken cancellationToken = default)
    {
        var components = ComponentsOf(config.Current, drill);
        var run = await store.RequestDrillRunAsync(name, components, requestedBy, time.GetUtcNow(), scheduled, cancellationToken);
        if (await RefusalAsync(components, run.Id, cancellationToken) is not { } refusal)
        {
            return run;
        }

        var refused = run with { Status = DrillRunStatus.Refused, FinishedAt = time.GetUtcNow(), Summary = refusal };
        await store.UpdateDrillRunAsync(refused, DrillRunStatus.Requested, cancellationToken);
        return refused;
    }

    /// <summary>Runs <paramref name="run"/> (requested) to its end. Only the leader calls it, one run at a time.</summary>
    public async Task<DrillRun> RunAsync(DrillRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (config.Current.Drills.GetValueOrDefault(run.Drill) is not { } drill)
        {
            return await FinishEarlyAsync(run, DrillRunStatus.Aborted, $"drill {run.Drill} is no longer in the config", cancellationToken);
        }

        if (await RefusalAsync(run.Components, run.Id, cancellationToken) is { } refusal)
        {
            return await FinishEarlyAsync(run, DrillRunStatus.Refused, refusal, cancellationToken);
        }

        var running = run with { Status = DrillRunStatus.Running, StartedAt = time.GetUtcNow() };
        if (!await store.UpdateDrillRunAsync(running, DrillRunStatus.Requested, cancellationToken))
        {
            return await store.GetDrillRunAsync(run.Id, cancellationToken) ?? run; // aborted before it started
        }

        var journal = new DrillJournal(time);
        using var marks = new CancellationTokenSource();
        var writer = drill.Data is { } data ? new DrillMarkWriter(DrillMarkTarget.For(data, processes, data.Dir!), run.Id, data.Interval, time) : null;
        var writing = await StartMarksAsync(writer, drill.Data, journal, marks.Token, cancellationToken);
        var made = await MakeFaultAsync(running, drill, journal, cancellationToken);
        running = running with { FaultAt = made.Made ? made.At : null };
        await store.UpdateDrillRunAsync(running, DrillRunStatus.Running, cancellationToken);
        var watched = made.Made ? await WatchAsync(running, drill, journal, cancellationToken) : new DrillWatch([], DrillRunStatus.Aborted, $"the fault could not be made: {made.Outcome}");
        await marks.CancelAsync();
        await writing;
        var loss = writer is null || !made.Made ? null : await writer.MeasureAsync(cancellationToken);
        await ClearAsync(running, drill, journal, cancellationToken);
        return await FinishAsync(running, drill, new DrillEnd(made, watched, loss, journal), cancellationToken);
    }

    /// <summary>
    /// A run left running by a controller that stopped (or lost the lead) mid-drill: its fault is cleared, a deployed drill
    /// release marked bad, and the run closed as aborted, saying so. It is never judged: nobody watched all of it.
    /// </summary>
    public async Task<DrillRun> AbandonAsync(DrillRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var journal = new DrillJournal(time);
        var notes = new List<string> { "the controller running the drill stopped before it ended; the next leader cleared its fault and closed it unjudged" };
        var drill = config.Current.Drills.GetValueOrDefault(run.Drill);
        if (drill is not null)
        {
            await ClearAsync(run, drill, journal, cancellationToken);
            if (drill.Fault.Deploy is { } deploy
                && await MarkDrillReleaseBadAsync(new DrillFault(true, run.FaultAt ?? run.StartedAt ?? time.GetUtcNow(), "", deploy.Component ?? drill.Component, deploy.Version), null, cancellationToken) is { } marked)
            {
                notes.Add(marked);
            }
        }

        var now = time.GetUtcNow();
        var report = new DrillReport(run.Id, run.Drill, drill?.Description, drill?.Component ?? $"group {drill?.Group}", run.Components, drill?.Fault.Describe() ?? "unknown", run.StartedAt ?? now, run.FaultAt, now, DrillRunStatus.Aborted, [], [], [], journal.Events, null, notes);
        var closed = run with { Status = DrillRunStatus.Aborted, FinishedAt = now, Summary = "aborted: " + notes[0], Report = report };
        await store.UpdateDrillRunAsync(closed, DrillRunStatus.Running, cancellationToken);
        return await store.GetDrillRunAsync(run.Id, cancellationToken) ?? closed;
    }

    private static async Task<Task> StartMarksAsync(DrillMarkWriter? writer, DrillDataConfig? data, DrillJournal journal, CancellationToken marks, CancellationToken cancellationToken)
    {
        if (writer is null || data is null)
        {
            return Task.CompletedTask;
        }

        try
        {
            await writer.PrepareAsync(cancellationToken);
            journal.Add("data marks prepared", "done", detail: $"a mark every {Durations.Format(data.Interval)}, named {writer.Prefix}NNNNNN");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            journal.Add("data marks prepared", "failed", detail: ex.Message);
        }

        return writer.WriteUntilCancelledAsync(marks);
    }

    private async Task<DrillRun> FinishEarlyAsync(DrillRun run, DrillRunStatus status, string why, CancellationToken cancellationToken)
    {
        var finished = run with { Status = status, FinishedAt = time.GetUtcNow(), Summary = why };
        await store.UpdateDrillRunAsync(finished, run.Status, cancellationToken);
        return await store.GetDrillRunAsync(run.Id, cancellationToken) ?? finished;
    }

    private IEnumerable<Runtime.Runbooks.IStepRunner> Runners => services.GetServices<Runtime.Runbooks.IStepRunner>();
}

/// <summary>What the drill's own steps did, in order, for the report.</summary>
internal sealed class DrillJournal(TimeProvider time)
{
    private readonly List<DrillEvent> _events = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<DrillEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Add(string what, string outcome, TimeSpan? took = null, string? detail = null, DateTimeOffset? at = null)
    {
        lock (_gate)
        {
            _events.Add(new DrillEvent(at ?? time.GetUtcNow(), what, outcome, took, detail));
        }
    }
}

/// <summary>How the fault went: made or not, when, and what the step said.</summary>
internal sealed record DrillFault(bool Made, DateTimeOffset At, string Outcome, string? DeployedComponent = null, string? DeployedVersion = null);

/// <summary>What the watch saw: the drill's incidents, and how it ended when it ended without a verdict (aborted, timed out).</summary>
internal sealed record DrillWatch(IReadOnlyList<IncidentRecord> Incidents, DrillRunStatus? EndedAs, string? Why);

/// <summary>Everything the report is made of.</summary>
internal sealed record DrillEnd(DrillFault Fault, DrillWatch Watch, DrillDataLoss? Data, DrillJournal Journal);
