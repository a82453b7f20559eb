using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Rewind.Runtime.Notifications;

/// <summary>A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat): <c>POST {"text": …}</c>.</summary>
public sealed class SlackNotifier(Uri url, HttpClient http, TimeSpan timeout, TimeProvider time) : INotifier
{
    public string Kind => "slack";

    public Task<NotifyResult> SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new JsonObject { ["text"] = notification.Text }),
        };
        return SendAndDisposeAsync(request, cancellationToken);
    }

    private async Task<NotifyResult> SendAndDisposeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await HttpDelivery.PostAsync(http, request, timeout, time, cancellationToken);
        }
    }
}
