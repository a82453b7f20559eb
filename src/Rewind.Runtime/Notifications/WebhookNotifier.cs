using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Rewind.Runtime.Notifications;

/// <summary>
/// A generic JSON webhook: the message document as the body, signed (see <see cref="WebhookSignature"/>), with
/// <c>X-Rewind-Delivery</c> so the receiver can drop the repeat of a message sent again after a crash.
/// </summary>
public sealed class WebhookNotifier(Uri url, byte[] secret, HttpClient http, TimeSpan timeout, TimeProvider time) : INotifier
{
    public string Kind => "webhook";

    public async Task<NotifyResult> SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var body = Encoding.UTF8.GetBytes(notification.Payload);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.DeliveryHeader, notification.DeliveryId);
        request.Headers.Add(WebhookSignature.EventHeader, notification.Event);
        return await HttpDelivery.PostAsync(http, request, timeout, time, cancellationToken);
    }
}
