using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Rewind.Runtime.Notifications;

/// <summary>
/// Email through an SMTP relay with MailKit: the first line is the subject, the whole text the plain-text body. Plain
/// SMTP, or STARTTLS when configured (required then: no fallback to plain); authentication when credentials are set.
/// </summary>
public sealed class EmailNotifier(EmailSettings settings, TimeSpan timeout, TimeProvider time) : INotifier
{
    public string Kind => "email";

    public async Task<NotifyResult> SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var message = Compose(notification);
        // The whole session (connect, STARTTLS, AUTH, send) is bounded by the timer below, not MailKit's per-read timeout.
        using var client = new SmtpClient { Timeout = Timeout.Infinite };
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, linked.Token);
            if (settings.UserName is not null)
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", linked.Token);
            }

            await client.SendAsync(message, linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotifyResult.Failed($"timeout after {Core.Configuration.Durations.Format(timeout)}");
        }
        catch (Exception ex) when (IsSmtpFailure(ex))
        {
            return NotifyResult.Failed($"smtp: {ex.Message}");
        }

        await QuitAsync(client, linked.Token);
        return NotifyResult.Ok;
    }

    private MimeMessage Compose(Notification notification)
    {
        var message = new MimeMessage { Subject = notification.Subject, Body = new TextPart("plain") { Text = notification.Text } };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.AddRange(settings.To.Select(MailboxAddress.Parse));
        message.Headers.Add(WebhookSignature.DeliveryHeader, notification.DeliveryId);
        message.Headers.Add(WebhookSignature.EventHeader, notification.Event);
        return message;
    }

    // The relay accepted the message when SendAsync returned: a QUIT that fails afterwards does not undo the delivery.
    private static async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsSmtpFailure(ex))
        {
        }
    }

    private static bool IsSmtpFailure(Exception ex) =>
        ex is CommandException or ProtocolException or AuthenticationException or SslHandshakeException or SocketException or IOException or TimeoutException or NotSupportedException;
}

/// <summary>Where and as whom email is sent; the credentials were read from the environment at start.</summary>
public sealed record EmailSettings(string Host, int Port, bool StartTls, string From, IReadOnlyList<string> To, string? UserName = null, string? Password = null)
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{Host}:{Port} from {From} to {string.Join(", ", To)}";
}
