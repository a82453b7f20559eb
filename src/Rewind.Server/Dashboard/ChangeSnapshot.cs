using System.Globalization;
using System.Text;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Signals;

namespace Rewind.Server.Dashboard;

/// <summary>
/// A fingerprint of what the dashboard shows, read from the store and the health board: one string per component,
/// recent incident and recent rollback, plus each component's newest sample time. Two snapshots differ exactly where
/// a page would show something new, whichever replica or service wrote it.
/// </summary>
internal sealed record ChangeSnapshot(IReadOnlyDictionary<(string Kind, string Id), string> Entries, IReadOnlyDictionary<string, DateTimeOffset> NewestSamples)
{
    /// <summary>Incidents and rollbacks looked at: the newest ones, which are what the pages show live. Default 20.</summary>
    public const int Recent = 20;

    public static async Task<ChangeSnapshot> ReadAsync(IStore store, ConfigHolder config, HealthBoard board, CancellationToken cancellationToken = default)
    {
        var entries = new Dictionary<(string, string), string>();
        var samples = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var open = (await store.GetOpenIncidentsAsync(cancellationToken)).ToDictionary(i => i.Component, i => i.Id, StringComparer.Ordinal);
        var active = (await store.GetActiveRollbacksAsync(cancellationToken)).GroupBy(r => r.Component, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        foreach (var (name, component) in config.Current.Components)
        {
            var state = await store.GetComponentAsync(name, cancellationToken);
            var releases = await store.GetReleasesAsync(name, cancellationToken);
            var text = new StringBuilder()
                .Append(state?.CurrentVersion).Append('|').Append(state?.CurrentSince?.ToUnixTimeMilliseconds()).Append('|')
                .Append(board.Health(name, HealthBoard.Thresholds(component))).Append('|')
                .Append(open.GetValueOrDefault(name)).Append('|').Append(active.GetValueOrDefault(name)).Append('|')
                .AppendJoin(',', releases.Select(r => $"{r.Version}:{r.State}"));
            entries[("component", name)] = text.ToString();
            var newest = component.Probes.Keys.Select(p => board.Latest(name, p)?.At).Max();
            if (newest is { } at)
            {
                samples[name] = at;
            }
        }

        foreach (var incident in await store.GetIncidentsAsync(Recent, cancellationToken))
        {
            var timeline = incident.IsOpen ? (await store.GetTimelineAsync(incident.Id, cancellationToken)).Count : -1;
            entries[("incident", incident.Id)] = string.Create(CultureInfo.InvariantCulture, $"{incident.Status}|{incident.AcknowledgedBy}|{incident.ResolvedAt}|{timeline}");
        }

        foreach (var rollback in await store.GetRollbacksAsync(Recent, cancellationToken: cancellationToken))
        {
            entries[("rollback", rollback.Id)] = await FingerprintAsync(rollback, store, cancellationToken);
        }

        return new ChangeSnapshot(entries, samples);
    }

    private static async Task<string> FingerprintAsync(Rollback rollback, IStore store, CancellationToken cancellationToken)
    {
        var text = new StringBuilder().Append(rollback.Status).Append('|').Append(rollback.AbortRequestedBy).Append('|');
        foreach (var step in rollback.Steps)
        {
            text.Append(step.Status).Append(':').Append(step.Attempts).Append(':').Append(step.Output?.Length).Append(',');
        }

        if (rollback.IsActive)
        {
            foreach (var (index, counts) in await store.GetMemberCountsAsync(rollback.Id, cancellationToken))
            {
                text.Append(index).Append('=').Append(counts.Pending).Append('/').Append(counts.Running).Append('/').Append(counts.Succeeded).Append('/').Append(counts.Failed).Append(',');
            }

            text.Append("approvals=").Append((await store.GetApprovalsAsync(rollback.Id, cancellationToken)).Count);
        }

        return text.ToString();
    }
}
