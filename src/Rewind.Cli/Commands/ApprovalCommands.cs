using System.CommandLine;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary><c>rewind approve ID</c> and <c>rewind deny ID</c>: decisions on a rollback waiting for the authorisation matrix or held at an approval step.</summary>
internal static class ApprovalCommands
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        foreach (var approve in new[] { true, false })
        {
            var id = new Argument<string>("id") { Description = "The rollback waiting for approval (RB-…)" };
            var note = new Option<string?>("--note") { Description = "Why, for the record" };
            var code = new Option<string?>("--code") { Description = "The current code of your authenticator, where the approval rule asks for a second factor" };
            var command = new Command(
                approve ? "approve" : "deny",
                approve
                    ? "Approve a rollback that waits for approval. Your roles must be ones its rule counts; under the two-person rule, not your own request. It runs once every approval it needs is in."
                    : "Deny a rollback that waits for approval (or withdraw your own request): it is cancelled and nothing is touched.")
            { id, note, context.ServerOption };
            if (approve)
            {
                command.Add(code);
            }

            command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
            {
                var rollback = approve
                    ? await client.ApproveRollbackAsync(parse.GetValue(id)!, parse.GetValue(note), parse.GetValue(code), cancellationToken)
                    : await client.DenyRollbackAsync(parse.GetValue(id)!, parse.GetValue(note), cancellationToken);
                await ReportAsync(context, client, rollback, approve, cancellationToken);
                return ExitCodes.Ok;
            }));
            yield return command;
        }
    }

    /// <summary>What was decided, what is still needed and from whom, and what happens next.</summary>
    private static async Task ReportAsync(CliContext context, RewindClient client, RollbackDto rollback, bool approve, CancellationToken cancellationToken)
    {
        var (id, incident) = (Markup.Escape(rollback.Id), Markup.Escape(rollback.IncidentId ?? rollback.Id));
        var what = $"{Markup.Escape(rollback.Component)} {Markup.Escape(rollback.FromVersion ?? "unknown")} -> {Markup.Escape(rollback.ToVersion)}";
        var gate = rollback.Steps.FirstOrDefault(s => s.AwaitingApproval);
        var line = (approve, rollback.Status) switch
        {
            (true, "awaiting") => $"{id} ({what}): your approval is recorded; it is not enough yet, so nothing runs",
            (true, "pending" or "running") when gate is not null => $"{id} ({what}): your approval of step {gate.Index + 1} is recorded; the step still waits: {Markup.Escape(gate.Description)}",
            (true, "pending" or "running") => $"[green]{id} ({what}) approved[/]: it has every approval it needs and runs now; follow it with `rewind incident show {incident}`",
            (true, _) => $"{id} ({what}) approved; it is {Markup.Escape(rollback.Status)}",
            (false, "cancelled") => $"[yellow]{id} ({what}) denied[/]: cancelled; nothing was touched",
            (false, _) => $"{id} ({what}) denied: it is {Markup.Escape(rollback.Status)}{(rollback.Error is { } error ? " - " + Markup.Escape(error) : "")}",
        };
        context.Console.MarkupLine(line);
        if (approve && rollback.Status == "awaiting")
        {
            var status = await client.GetApprovalStatusAsync(rollback.Id, cancellationToken);
            context.Console.MarkupLine($"  still needs {Markup.Escape(status.Missing ?? "more approvals")}; it runs once that is in (approvals so far: {Markup.Escape(string.Join(", ", status.Approvals.Where(a => a.Approved).Select(a => a.Approver)))})");
            foreach (var next in ApprovalWait.Describe(status).Skip(1))
            {
                context.Console.MarkupLine(next);
            }
        }
    }
}
