using System.Globalization;
using System.Text.Json.Nodes;
using Rewind.Client;
using Rewind.Core.Incidents;
using Rewind.Core.Notifications;
using Rewind.Core.Runbooks;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Notifications;

/// <summary>
/// Turns one timeline entry into the outbox messages of the channels that want it: the event, the text rendered from
/// its template with the incident (and rollback) as they are now, and the JSON document webhooks and commands get.
/// </summary>
/// <remarks>
/// The text is escaped for each channel's markup as it is rendered (<see cref="TextMarkup"/>). The document's fields
/// that come from outside Rewind carry <see cref="OutsideText.Capped"/> excerpts: the JSON string is their quote.
/// </remarks>
internal sealed class NotificationComposer(IStore store, NotificationChannels channels, ConfigHolder config)
{
    public async Task<IReadOnlyList<NewNotification>> ComposeAsync(SequencedTimelineEvent item, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var entry = item.Entry;
        if (NotificationEvents.Of(entry) is not { } kind || await store.GetIncidentAsync(entry.IncidentId, cancellationToken) is not { } incident)
        {
            return [];
        }

        // An escalation level pages its own channels whatever their filters say, besides the channels taking escalations.
        var level = kind == NotificationEvent.Escalation && TimelineMilestones.EscalationLevelOf(entry.Milestone) is { } number
            ? EscalationSchedule.Level(config.Current.Escalation, incident, number)
            : null;
        var targets = channels.All.Where(c => c.Wants(kind, incident.Severity) || (level?.Config.Channels.Contains(c.Name, StringComparer.Ordinal) ?? false)).ToList();
        if (targets.Count == 0)
        {
            return [];
        }

        var rollback = NotificationEvents.IsRollback(kind) ? await FindRollbackAsync(incident, entry.At, cancellationToken) : null;
        var values = Values(kind, incident, entry, rollback, level);
        return [.. targets.Select(channel =>
        {
            var deliveryId = Guid.NewGuid().ToString();
            var text = channel.Templates[kind].Render(values, channel.Markup);
            var payload = Payload(deliveryId, channel.Name, kind, text, incident, rollback, level, item);
            return new NewNotification(deliveryId, channel.Name, item.Seq, incident.Id, kind, text, payload, now);
        })];
    }

    private async Task<Rollback?> FindRollbackAsync(Incident incident, DateTimeOffset at, CancellationToken cancellationToken) =>
        (await store.GetRollbacksAsync(50, incident.Component, cancellationToken))
            .Where(r => r.IncidentId == incident.Id && r.RequestedAt <= at)
            .MaxBy(r => r.RequestedAt);

    private static Dictionary<string, string?> Values(NotificationEvent kind, Incident incident, TimelineEvent entry, Rollback? rollback, EscalationStep? level) => new(StringComparer.Ordinal)
    {
        ["event"] = NotificationEvents.Name(kind),
        ["incident.id"] = incident.Id,
        ["incident.component"] = incident.Component,
        ["incident.severity"] = incident.Severity.ToString(),
        ["incident.status"] = incident.Status.ToString().ToLowerInvariant(),
        ["incident.title"] = incident.Title,
        ["incident.release"] = incident.Release ?? "unknown",
        ["incident.policy"] = incident.Policy,
        ["incident.opened-at"] = Time(incident.OpenedAt),
        ["entry.message"] = entry.Message,
        ["entry.actor"] = entry.Actor,
        ["entry.at"] = Time(entry.At),
        ["rollback.id"] = rollback?.Id,
        ["rollback.from"] = rollback?.FromVersion ?? "unknown",
        ["rollback.to"] = rollback?.ToVersion,
        ["rollback.status"] = rollback?.Status.ToString().ToLowerInvariant(),
        ["rollback.requested-by"] = rollback?.RequestedBy,
        ["rollback.error"] = rollback?.Error ?? (kind == NotificationEvent.RollbackFailed ? entry.Message : null),
        ["escalation.policy"] = level?.Policy,
        ["escalation.level"] = level?.Level.ToString(CultureInfo.InvariantCulture),
        ["escalation.contacts"] = level is null ? null : string.Join(", ", level.Config.Contacts),
    };

    private static string Payload(string deliveryId, string channel, NotificationEvent kind, string text, Incident incident, Rollback? rollback, EscalationStep? level, SequencedTimelineEvent item)
    {
        var document = new JsonObject
        {
            ["delivery"] = deliveryId,
            ["channel"] = channel,
            ["event"] = NotificationEvents.Name(kind),
            ["text"] = text,
            ["incident"] = new JsonObject
            {
                ["id"] = incident.Id,
                ["component"] = incident.Component,
                ["severity"] = incident.Severity.ToString(),
                ["status"] = incident.Status.ToString().ToLowerInvariant(),
                ["title"] = OutsideText.Capped(incident.Title),
                ["policy"] = incident.Policy,
                ["release"] = OutsideText.Capped(incident.Release),
                ["openedAt"] = Time(incident.OpenedAt),
            },
            ["rollback"] = rollback is null ? null : new JsonObject
            {
                ["id"] = rollback.Id,
                ["from"] = OutsideText.Capped(rollback.FromVersion),
                ["to"] = OutsideText.Capped(rollback.ToVersion),
                ["status"] = rollback.Status.ToString().ToLowerInvariant(),
                ["requestedBy"] = OutsideText.Capped(rollback.RequestedBy),
                ["error"] = OutsideText.Capped(rollback.Error),
            },
            ["escalation"] = level is null ? null : new JsonObject
            {
                ["policy"] = level.Policy,
                ["level"] = level.Level,
                ["contacts"] = new JsonArray([.. level.Config.Contacts.Select(c => (JsonNode?)JsonValue.Create(c))]),
            },
            ["entry"] = new JsonObject
            {
                ["seq"] = item.Seq,
                ["at"] = Time(item.Entry.At),
                ["kind"] = item.Entry.Kind,
                ["message"] = OutsideText.Capped(item.Entry.Message),
                ["actor"] = OutsideText.Capped(item.Entry.Actor),
            },
        };
        return document.ToJsonString(RewindJson.Options);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
