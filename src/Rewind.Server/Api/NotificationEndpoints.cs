using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Rewind.Client;
using Rewind.Core.Notifications;
using Rewind.Core.Storage;

namespace Rewind.Server.Api;

internal static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder api) => api.MapGet("/notifications", ListAsync);

    private static async Task<Results<Ok<List<NotificationDto>>, ProblemHttpResult>> ListAsync(IStore store, CancellationToken cancellationToken, string? status = null, int limit = 100)
    {
        NotificationStatus? wanted = status?.ToLowerInvariant() switch
        {
            null => null,
            "pending" => NotificationStatus.Pending,
            "failed" => NotificationStatus.Failed,
            "sent" => NotificationStatus.Sent,
            _ => (NotificationStatus)(-1),
        };
        if (wanted is { } parsed && !Enum.IsDefined(parsed))
        {
            return Problems.Invalid("invalid status", $"status '{status}' is not one of pending, failed, sent");
        }

        var messages = await store.GetNotificationsAsync(wanted, Math.Clamp(limit, 1, 1000), cancellationToken);
        return TypedResults.Ok(messages.Select(m => new NotificationDto(
            m.DeliveryId,
            m.Channel,
            NotificationEvents.Name(m.Event),
            m.IncidentId,
            m.Status.ToString().ToLowerInvariant(),
            m.Attempts,
            m.CreatedAt,
            m.Status == NotificationStatus.Pending ? m.NextAttemptAt : null,
            m.LastAttemptAt,
            m.SentAt,
            m.LastError,
            m.Text)).ToList());
    }
}
