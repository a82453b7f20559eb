using Rewind.Cli.Output;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary>
/// A rollback that waits for the authorisation matrix, as the person who asked for it sees it: who must approve and how,
/// then each decision as it comes, until it runs (and is followed), is denied, or nobody decided in time.
/// </summary>
internal static class ApprovalWait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Allowance past the deadline for a rule that proceeds: the controller releases the rollback within a second or so.</summary>
    private static readonly TimeSpan ProceedAllowance = TimeSpan.FromSeconds(30);

    /// <summary>Says who must approve the rollback, how to approve, deny or cancel it, and by when.</summary>
    public static async Task<ApprovalStatusDto> ShowAsync(CliContext context, RewindClient client, string id, CancellationToken cancellationToken)
    {
        var status = await client.GetApprovalStatusAsync(id, cancellationToken);
        foreach (var line in Describe(status))
        {
            context.Console.MarkupLine(line);
        }

        return status;
    }

    /// <summary>The lines that say what a waiting rollback needs; the requester's view (<c>rewind rollback</c>) and an approver's (<c>rewind approve</c>) alike.</summary>
    public static IEnumerable<string> Describe(ApprovalStatusDto status)
    {
        var id = Markup.Escape(status.RollbackId);
        if (status.Rule is not { } rule)
        {
            yield return $"{id} is {Markup.Escape(status.Status)}, not waiting for approval";
            yield break;
        }

        var how = new List<string>();
        if (rule.Number > 0)
        {
            how.Add($"approval rule {rule.Number}");
        }

        if (rule.TwoPerson)
        {
            how.Add($"two-person: not {Markup.Escape(status.RequestedBy)}");
        }

        if (rule.SecondFactor)
        {
            how.Add("with an authenticator code: --code");
        }

        yield return $"[yellow]{id} awaits approval[/]{(how.Count == 0 ? "" : $" ({string.Join("; ", how)})")}: it needs {Markup.Escape(status.Missing ?? "an approval")}. Nothing is touched until then.";
        yield return $"  approve: rewind approve {id}   deny: rewind deny {id}   cancel: rewind abort {id} --reason TEXT";
        yield return $"  decide by {Render.Time(rule.DecideBy)}{(rule.OnTimeout is { } then ? $", then it {Markup.Escape(then)}" : "")}";
    }

    /// <summary>
    /// Waits while the rollback awaits approval, printing each decision: null once it left the wait (run or cancelled:
    /// follow it), else the exit code (nobody decided in time, so the incident was escalated and it still waits).
    /// </summary>
    public static async Task<int?> WaitAsync(CliContext context, RewindClient client, ApprovalStatusDto first, CancellationToken cancellationToken)
    {
        var (status, printed, missing) = (first, 0, first.Missing);
        while (true)
        {
            foreach (var decision in status.Approvals.Skip(printed))
            {
                context.Console.MarkupLine($"  {(decision.Approved ? "approved" : "denied")} by {Markup.Escape(decision.Approver)} ({Markup.Escape(string.Join(", ", decision.Roles))}) at {Render.Time(decision.At)}{(decision.Note.Length == 0 ? "" : ": " + Markup.Escape(decision.Note))}");
            }

            printed = status.Approvals.Count;
            if (status.Status != "awaiting")
            {
                if (status.Status is "pending" or "running")
                {
                    context.Console.MarkupLine($"  {Markup.Escape(status.RollbackId)} may run now: following it");
                }

                return null;
            }

            if (status.Missing is { } now && now != missing)
            {
                context.Console.MarkupLine($"  still needs {Markup.Escape(now)}");
                missing = now;
            }

            if (status.Rule is { } rule && TimeProvider.System.GetUtcNow() > rule.DecideBy + (rule.OnTimeout == "proceeds" ? ProceedAllowance : TimeSpan.Zero))
            {
                await context.Error.WriteLineAsync($"error: nobody decided on {status.RollbackId} by {Render.Time(rule.DecideBy)}: the incident is escalated and the rollback still waits, untouched; `rewind approve {status.RollbackId}`, `rewind deny {status.RollbackId}` or `rewind abort {status.RollbackId} --reason TEXT`");
                return ExitCodes.Failed;
            }

            await Task.Delay(PollInterval, TimeProvider.System, cancellationToken);
            status = await client.GetApprovalStatusAsync(status.RollbackId, cancellationToken);
        }
    }
}
