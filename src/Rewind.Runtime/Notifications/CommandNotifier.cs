using Rewind.Runtime.Processes;

namespace Rewind.Runtime.Notifications;

/// <summary>
/// Runs an argument vector (never through a shell) with the message document on stdin and
/// <c>REWIND_DELIVERY</c>/<c>REWIND_EVENT</c> in its environment; exit 0 within the timeout is delivered.
/// </summary>
public sealed class CommandNotifier(IReadOnlyList<string> argv, ProcessRunner runner, TimeSpan timeout) : INotifier
{
    public string Kind => "command";

    public async Task<NotifyResult> SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var result = await runner.RunAsync(
            new ProcessRequest(argv, null, timeout)
            {
                StandardInput = notification.Payload,
                Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["REWIND_DELIVERY"] = notification.DeliveryId,
                    ["REWIND_EVENT"] = notification.Event,
                },
            },
            cancellationToken);
        if (result.Succeeded)
        {
            return NotifyResult.Ok;
        }

        var lastLine = result.Output.TrimEnd().Split('\n')[^1].Trim();
        return NotifyResult.Failed(lastLine.Length == 0 ? result.Describe() : $"{result.Describe()}: {lastLine}");
    }
}
