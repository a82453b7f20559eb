namespace Rewind.Runtime.Notifications;

/// <summary>Sends one message to one channel. Failing is a value (<see cref="NotifyResult"/>), never an exception.</summary>
public interface INotifier
{
    /// <summary><c>slack</c>, <c>webhook</c>, <c>email</c> or <c>command</c>.</summary>
    string Kind { get; }

    Task<NotifyResult> SendAsync(Notification notification, CancellationToken cancellationToken = default);
}

/// <summary>One message as every channel kind needs it.</summary>
/// <param name="DeliveryId">Unique per message, the same on every attempt: receivers de-duplicate by it.</param>
/// <param name="Event">The event's name, e.g. <c>rollback-failed</c>.</param>
/// <param name="Text">The rendered template; its first line is the subject.</param>
/// <param name="Payload">The JSON document of the message (webhook body, command stdin).</param>
public sealed record Notification(string DeliveryId, string Event, string Text, string Payload)
{
    /// <summary>
    /// The first line, with any control character left in it (a carriage return from a template) as a space: a
    /// subject never breaks its header line, so it can neither add a header nor make the relay refuse the message.
    /// </summary>
    public string Subject => string.Concat(Text.Split('\n', 2)[0].Select(c => char.IsControl(c) ? ' ' : c)).Trim();
}

/// <summary>Delivered, or why not (<c>status 503</c>, <c>connection refused</c>, <c>timeout after 10s</c>).</summary>
public sealed record NotifyResult(bool Delivered, string? Error = null)
{
    public static NotifyResult Ok { get; } = new(true);

    public static NotifyResult Failed(string error) => new(false, error);
}
