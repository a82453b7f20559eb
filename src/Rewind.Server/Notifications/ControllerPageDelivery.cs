using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Client;
using Rewind.Core.Audit;
using Rewind.Core.Notifications;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;
using Rewind.Engine.Notifications;
using Rewind.Runtime.Notifications;
using Rewind.Server.Hosting;

namespace Rewind.Server.Notifications;

/// <summary>
/// Sends the controller's pages about itself (<see cref="ControllerPage"/>) without the store: the messages are held
/// in memory, sent to every channel that takes <c>controller-fault</c> / <c>controller-recovered</c> at the fault's
/// severity, retried on <see cref="RetrySchedule"/> until the channel's <c>give-up-after</c>, and written to the audit
/// log once the store takes writes. A controller that dies meanwhile loses them: they describe its own state, which the
/// next one sees for itself.
/// </summary>
internal sealed class ControllerPageDelivery(NotificationChannels channels, IStore store, ConfigHolder config, TimeProvider time, ILogger<ControllerPageDelivery> logger) : BackgroundService
{
    /// <summary>Messages and records held at most; the oldest go first when a store and every channel stay down for long.</summary>
    public const int Held = 200;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<Pending> _pending = [];
    private readonly List<AuditRecord> _records = [];

    /// <summary>Puts the page's message in for each channel that takes it.</summary>
    public void Enqueue(ControllerPage page, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(page);
        var kind = page.Recovered ? NotificationEvent.ControllerRecovered : NotificationEvent.ControllerFault;
        var targets = channels.All.Where(c => c.Wants(kind, page.Fault.Severity)).ToList();
        var values = Values(kind, page, config.Current.Store);
        lock (_gate)
        {
            foreach (var channel in targets)
            {
                var deliveryId = Guid.NewGuid().ToString();
                var text = channel.Templates[kind].Render(values, channel.Markup);
                _pending.Add(new Pending(channel, new Notification(deliveryId, NotificationEvents.Name(kind), text, Payload(deliveryId, channel.Name, kind, text, page)), now, now, 0));
            }

            if (targets.Count == 0)
            {
                Record(now, kind, page.Fault.Kind, "not sent", "no channel takes it");
            }

            Trim(_pending);
        }
    }

    /// <summary>Messages not yet delivered nor given up.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(Tick, time, RunOnceAsync, ex => ServerLog.ControllerPageFailed(logger, ex), stoppingToken);

    /// <summary>Sends what is due, then writes the records the store will take.</summary>
    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        List<Pending> due;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            due = [.. _pending.Where(p => p.NextAttemptAt <= now)];
        }

        foreach (var message in due)
        {
            await SendAsync(message, cancellationToken);
        }

        await WriteRecordsAsync(cancellationToken);
    }

    private async Task SendAsync(Pending message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!message.Channel.RateLimiter.TryAcquire(now, out _))
        {
            return; // its turn comes on a later tick
        }

        NotifyResult result;
        try
        {
            result = await message.Channel.Notifier.SendAsync(message.Notification, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            result = NotifyResult.Failed($"{ex.GetType().Name}: {ex.Message}");
        }

        now = time.GetUtcNow();
        var attempts = message.Attempts + 1;
        var kind = message.Notification.Event;
        lock (_gate)
        {
            _pending.Remove(message);
            if (result.Delivered)
            {
                ServerLog.ControllerPageSent(logger, message.Channel.Name, kind, attempts);
                Record(now, kind, message.Notification.Subject, "delivered", $"to {message.Channel.Name} after {attempts} attempt(s)");
            }
            else if (now - message.CreatedAt >= message.Channel.Config.GiveUpAfter)
            {
                ServerLog.ControllerPageGaveUp(logger, message.Channel.Name, kind, result.Error ?? "unknown");
                Record(now, kind, message.Notification.Subject, "failed", $"to {message.Channel.Name}: gave up after {attempts} attempt(s); last error: {result.Error}");
            }
            else
            {
                _pending.Add(message with { Attempts = attempts, NextAttemptAt = now + RetrySchedule.Delay(attempts, Random.Shared.NextDouble()) });
                if (attempts == 1)
                {
                    ServerLog.ControllerPageRetry(logger, message.Channel.Name, kind, result.Error ?? "unknown");
                }
            }
        }
    }

    private async Task WriteRecordsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            AuditRecord next;
            lock (_gate)
            {
                if (_records.Count == 0)
                {
                    return;
                }

                next = _records[0];
            }

            try
            {
                await store.AppendAuditAsync(next, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return; // the store is still down: kept for the next tick
            }

            lock (_gate)
            {
                _records.Remove(next);
            }
        }
    }

    private void Record(DateTimeOffset at, NotificationEvent kind, string target, string result, string detail) =>
        Record(at, NotificationEvents.Name(kind), target, result, detail);

    private void Record(DateTimeOffset at, string kind, string target, string result, string detail)
    {
        _records.Add(new AuditRecord(at, "controller", $"page {kind}", OutsideText.Capped(target) ?? "", Environment.MachineName, result, detail));
        Trim(_records);
    }

    private static void Trim<T>(List<T> held)
    {
        if (held.Count > Held)
        {
            held.RemoveRange(0, held.Count - Held);
        }
    }

    private static Dictionary<string, string?> Values(NotificationEvent kind, ControllerPage page, string store) => new(StringComparer.Ordinal)
    {
        ["event"] = NotificationEvents.Name(kind),
        ["fault.kind"] = page.Fault.Kind,
        ["fault.severity"] = page.Fault.Severity.ToString(),
        ["fault.message"] = page.Fault.Message,
        ["fault.since"] = Time(page.Fault.Since),
        ["fault.duration"] = page.Duration is { } lasted ? Core.Configuration.Durations.Format(TimeSpan.FromSeconds(Math.Round(lasted.TotalSeconds))) : null,
        ["controller.host"] = Environment.MachineName,
        ["controller.store"] = FaultWatch.StoreKind(store),
    };

    private static string Payload(string deliveryId, string channel, NotificationEvent kind, string text, ControllerPage page) => new JsonObject
    {
        ["delivery"] = deliveryId,
        ["channel"] = channel,
        ["event"] = NotificationEvents.Name(kind),
        ["text"] = text,
        ["fault"] = new JsonObject
        {
            ["kind"] = page.Fault.Kind,
            ["severity"] = page.Fault.Severity.ToString(),
            ["title"] = page.Fault.Title,
            ["message"] = OutsideText.Capped(page.Fault.Message),
            ["since"] = Time(page.Fault.Since),
            ["durationSeconds"] = page.Duration is { } lasted ? Math.Round(lasted.TotalSeconds) : null,
        },
        ["controller"] = new JsonObject { ["host"] = Environment.MachineName },
    }.ToJsonString(RewindJson.Options);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record Pending(NotificationChannel Channel, Notification Notification, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, int Attempts);
}
