using Microsoft.Extensions.Logging;
using Rewind.Core.Audit;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Storage;
using Rewind.Engine.Notifications;
using Rewind.Engine.Policies;

namespace Rewind.Engine.Hosting;

/// <summary>Asks for a reload: the config as parsed from the file, the file, who or what asked, and from where.</summary>
internal sealed record ConfigReloadRequest(ConfigResult Loaded, string File, string Actor, string Source);

/// <summary>
/// Puts a config read again from the file in force, or refuses it. A config that does not parse or validate, or names a
/// secret the environment does not hold, is refused with every error at its place and the running config stays in force.
/// A valid one has the settings that need a restart (<see cref="RestartSettings"/>) set back to their running values,
/// new components registered in the store, the notification channels rebuilt and the memory of changed or removed
/// policies dropped, and is then put in force as a whole; the loops that depend on it follow
/// (<see cref="ConfigFollowing"/>). Every reload is logged and written to the audit log; an open incident of a component
/// it changed gets a note. One reload at a time.
/// </summary>
internal sealed class ConfigReloader(ConfigHolder config, IStore store, NotificationChannels channels, DecisionEngine engine, TimeProvider time, ILogger<ConfigReloader> logger) : IDisposable
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public void Dispose() => _one.Dispose();

    public async Task<ConfigReloadReport> ReloadAsync(ConfigReloadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _one.WaitAsync(cancellationToken);
        try
        {
            var report = await DecideAsync(request, cancellationToken);
            config.Report(report);
            Log(report);
            try
            {
                await RecordAsync(report, request.Source, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                EngineLog.ConfigNotRecorded(logger, ex, report.File, report.OutcomeName); // what is in force stays in force: the log says it
            }

            return report;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<ConfigReloadReport> DecideAsync(ConfigReloadRequest request, CancellationToken cancellationToken)
    {
        var running = config.Version;
        if (!request.Loaded.IsValid)
        {
            return Report(request, ConfigReloadOutcome.Refused, running.Number, [], [], request.Loaded.Errors);
        }

        var next = request.Loaded.Config!;
        var (secrets, missing) = NotificationSecrets.Check(next.Notifications);
        if (missing.Count > 0)
        {
            return Report(request, ConfigReloadOutcome.Refused, running.Number, [], [], [.. missing.Select(m => next.PositionOf(m.Key).Error($"{m.Key}: {m.Message}"))]);
        }

        var restart = RestartSettings.Changed(running.Config, next).Select(r => new RestartNeeded(r.Key, r.Position)).ToList();
        RestartSettings.KeepRunning(running.Config, next);
        var changes = ConfigChanges.Between(running.Config, next);
        if (changes.Count == 0)
        {
            return Report(request, ConfigReloadOutcome.Unchanged, running.Number, [], restart, []);
        }

        await store.EnsureComponentsAsync([.. next.Components.Where(c => !running.Config.Components.ContainsKey(c.Key)).Select(c => KeyValuePair.Create(c.Key, c.Value.Provider.Kind))], cancellationToken);

        channels.Replace(next.Notifications, secrets);
        engine.Forget(Policies(running.Config).Where(p => !ConfigFingerprint.Same(p.Policy, Policy(next, p.Component, p.Name))).Select(p => (p.Component, p.Name)));
        config.Replace(next);
        return Report(request, ConfigReloadOutcome.Applied, config.Version.Number, changes, restart, []);
    }

    private ConfigReloadReport Report(ConfigReloadRequest request, ConfigReloadOutcome outcome, long version, IReadOnlyList<string> changes, IReadOnlyList<RestartNeeded> restart, IReadOnlyList<ConfigError> errors) =>
        new(time.GetUtcNow(), request.File, request.Actor, outcome, version, changes, restart, errors);

    private static IEnumerable<(string Component, string Name, PolicyConfig Policy)> Policies(RewindConfig config) =>
        config.Components.SelectMany(c => c.Value.Policies.Select(p => (c.Key, p.Key, p.Value)));

    private static PolicyConfig? Policy(RewindConfig config, string component, string name) =>
        config.Components.GetValueOrDefault(component)?.Policies.GetValueOrDefault(name);

    private void Log(ConfigReloadReport report)
    {
        switch (report.Outcome)
        {
            case ConfigReloadOutcome.Refused:
                EngineLog.ConfigRefused(logger, report.File, report.Actor, string.Join(Environment.NewLine, report.Errors));
                break;
            case ConfigReloadOutcome.Applied:
                EngineLog.ConfigApplied(logger, report.File, report.Version, report.Actor, string.Join("; ", report.Changes));
                break;
            default:
                EngineLog.ConfigUnchanged(logger, report.File, report.Actor);
                break;
        }

        if (report.NeedsRestart.Count > 0)
        {
            EngineLog.ConfigNeedsRestart(logger, report.File, string.Join(", ", report.NeedsRestart));
        }
    }

    /// <summary>The audit entry, and a note on the open incident of each component the reload changed.</summary>
    private async Task RecordAsync(ConfigReloadReport report, string source, CancellationToken cancellationToken)
    {
        await store.AppendAuditAsync(new AuditRecord(report.At, report.Actor, "config reload", $"file={report.File}", source, report.OutcomeName, report.Summary()), cancellationToken);
        if (report.Outcome != ConfigReloadOutcome.Applied)
        {
            return;
        }

        foreach (var (component, lines) in ByComponent(report))
        {
            if (await store.GetOpenIncidentAsync(component, cancellationToken) is { } incident)
            {
                await store.AppendTimelineAsync(new TimelineEvent(incident.Id, report.At, TimelineKinds.Note, $"config reloaded (version {report.Version}, by {report.Actor}): {string.Join("; ", lines)}; a running rollback keeps the plan and settings it started with", report.Actor), cancellationToken);
            }
        }
    }

    /// <summary>The changed lines that name a component (<c>policy web.down changed</c>, <c>plan of web changed</c>), by component.</summary>
    private static IEnumerable<(string Component, List<string> Lines)> ByComponent(ConfigReloadReport report) =>
        report.Changes
            .Select(line => (Component: line.Split(' ') switch
            {
                ["component", var name, _] => name,
                ["plan" or "settings", "of", var name, _] => name,
                ["probe" or "policy" or "scrape" or "query" or "event", var dotted, _] => dotted.Split('.', 2)[0],
                _ => null,
            }, Line: line))
            .Where(c => c.Component is not null)
            .GroupBy(c => c.Component!, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(c => c.Line).ToList()));
}
