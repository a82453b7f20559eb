using System.Net;
using System.Net.Mail;
using System.Text;

namespace Rewind.Runtime.Notifications;

/// <summary>Email through an SMTP relay with the framework's <see cref="SmtpClient"/>: the first line is the subject, the whole text the body.</summary>
public sealed class EmailNotifier(EmailSettings settings, TimeSpan timeout, TimeProvider time) : INotifier
{
    public string Kind => "email";

    public async Task<NotifyResult> SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var message = new MailMessage
        {
            From = new MailAddress(settings.From),
            Subject = notification.Subject,
            Body = notification.Text,
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
        };
        foreach (var to in settings.To)
        {
            message.To.Add(to);
        }

        message.Headers.Add(WebhookSignature.DeliveryHeader, notification.DeliveryId);
        message.Headers.Add(WebhookSignature.EventHeader, notification.Event);
        using var client = new SmtpClient(settings.Host, settings.Port)
        {
            EnableSsl = settings.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue),
            Credentials = settings.UserName is null ? null : new NetworkCredential(settings.UserName, settings.Password),
        };
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await client.SendMailAsync(message, linked.Token);
            return NotifyResult.Ok;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotifyResult.Failed($"timeout after {Core.Configuration.Durations.Format(timeout)}");
        }
        catch (SmtpException ex)
        {
            return NotifyResult.Failed($"smtp: {(ex.InnerException ?? ex).Message}");
        }
    }
}

/// <summary>Where and as whom email is sent; the credentials were read from the environment at start.</summary>
public sealed record EmailSettings(string Host, int Port, bool StartTls, string From, IReadOnlyList<string> To, string? UserName = null, string? Password = null)
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{Host}:{Port} from {From} to {string.Join(", ", To)}";
}
