using System.CommandLine;
using System.Globalization;
using Rewind.Cli.Output;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class NotificationsCommand
{
    public static Command Create(CliContext context)
    {
        var status = new Option<string?>("--status") { Description = "Only pending (not delivered yet), failed (given up) or sent messages" };
        status.AcceptOnlyFromAmong("pending", "failed", "sent");
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first", DefaultValueFactory = _ => 50 };
        var command = new Command("notifications", "List the notification outbox, newest first: what was sent to which channel, and what is still retrying.") { status, limit, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var table = new Table().AddColumns("created", "channel", "event", "incident", "status", "attempts", "next attempt / sent", "last error");
            foreach (var n in await client.GetNotificationsAsync(parse.GetValue(status), parse.GetValue(limit), cancellationToken))
            {
                table.AddRow(
                    Render.Time(n.CreatedAt),
                    Markup.Escape(n.Channel),
                    n.Event,
                    n.IncidentId,
                    n.Status,
                    n.Attempts.ToString(CultureInfo.InvariantCulture),
                    Render.Time(n.SentAt ?? n.NextAttemptAt),
                    Markup.Escape(n.LastError ?? "-"));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
