using System.CommandLine;
using Rewind.Cli.Output;
using Rewind.Client;
using Rewind.Core.Configuration;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class RollbackCommand
{
    private static readonly TimeSpan FollowLimit = TimeSpan.FromMinutes(30);

    public static Command Create(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component to roll back" };
        var to = new Option<string?>("--to") { Description = "Target release (default: the last known good). Only stable releases are accepted" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the exact steps, paths and argv without touching anything" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation (required when not on a terminal)" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record (default: \"manual rollback\")" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the rollback is accepted instead of following it to the end" };
        var emergency = new Option<bool>("--emergency") { Description = "During an incident: skip the plan's pauses (delays between batches, approval gates marked skip-in-emergency); targets, approvals, traffic gates and health checks stay. Audited" };
        var policy = new Option<string?>("--policy") { Description = "Run the plan declared on this policy of the component (as when the policy fires) instead of the component's plan" };
        var allowSchema = new Option<bool>("--allow-schema-change") { Description = "Roll back over a database schema change although the plan does not handle the database (the target must work with the newer schema). Audited" };
        var command = new Command("rollback", "Roll a component back to its last known good (or --to a stable release), following it live.") { component, to, dryRun, yes, reason, noWait, emergency, policy, allowSchema, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var request = new RollbackRequest(parse.GetValue(component)!, parse.GetValue(reason) ?? "manual rollback", parse.GetValue(to), RequestedBy: Environment.UserName, Emergency: parse.GetValue(emergency), Policy: parse.GetValue(policy), AllowSchemaChange: parse.GetValue(allowSchema));
            var plan = await client.DryRunRollbackAsync(request, cancellationToken);
            context.Console.MarkupLine($"plan: roll [bold]{Markup.Escape(plan.Component)}[/] back from {Markup.Escape(plan.FromVersion ?? "unknown")} to [bold]{Markup.Escape(plan.ToVersion)}[/]{(request.Emergency ? " [red]EMERGENCY: pauses skipped[/]" : "")}{PlanNote(plan)}");
            foreach (var step in plan.Steps)
            {
                context.Console.MarkupLine($"  {step.Index + 1}. {Markup.Escape(step.Description)}");
            }

            if (plan.Approval is { } approval)
            {
                context.Console.MarkupLine(ApprovalNote(approval));
            }

            if (parse.GetValue(dryRun))
            {
                context.Console.MarkupLine("dry run: nothing was touched");
                return ExitCodes.Ok;
            }

            if (!parse.GetValue(yes) && await ConfirmAsync(context, $"Roll {plan.Component} back to {plan.ToVersion}?") is { } refused)
            {
                return refused;
            }

            var rollback = await client.RequestRollbackAsync(request, cancellationToken);
            context.Console.MarkupLine($"[bold]{rollback.Id}[/] accepted (incident {Markup.Escape(rollback.IncidentId ?? "-")})");
            if (parse.GetValue(noWait))
            {
                if (rollback.Status == "awaiting")
                {
                    await ApprovalWait.ShowAsync(context, client, rollback.Id, cancellationToken);
                }

                return ExitCodes.Ok;
            }

            return await FollowAsync(context, client, rollback.Id, cancellationToken);
        }));
        return command;
    }

    /// <summary>Which plan it is and how long it may run, when that is not the component's plan without a limit.</summary>
    internal static string PlanNote(RollbackPlanDto plan) =>
        (plan.PlanPolicy is { } of ? $" (the plan of policy {Markup.Escape(of)})" : "")
        + (plan.PlanTimeout is { } limit ? $"; the whole plan within {Durations.Format(limit)}" : "")
        + (plan.SchemaChange is { } change ? $"; [yellow]back over schema change {Markup.Escape(change)}[/]" : "");

    /// <summary>The approval the rollback will wait for before anything runs, as a dry run says it.</summary>
    internal static string ApprovalNote(ApprovalNeededDto approval) =>
        $"[yellow]approval needed[/] before anything runs (approval rule {approval.Rule}{(approval.TwoPerson ? "; two-person: not you" : "")}{(approval.SecondFactor ? "; approvers give an authenticator code" : "")}): "
        + $"{Markup.Escape(approval.Needs)}; decide within {Durations.Format(approval.DecideWithin)}, then it {Markup.Escape(approval.OnTimeout)}";

    /// <summary>Asks the person at the terminal; null when they said yes, else the exit code (not a terminal: pass --yes).</summary>
    internal static async Task<int?> ConfirmAsync(CliContext context, string question)
    {
        if (Console.IsInputRedirected || !context.Console.Profile.Capabilities.Interactive)
        {
            await context.Error.WriteLineAsync("error: not on a terminal; pass --yes to confirm the rollback");
            return ExitCodes.Invalid;
        }

        if (!context.Console.Confirm(question, defaultValue: false))
        {
            context.Console.MarkupLine("cancelled: nothing was touched");
            return ExitCodes.Failed;
        }

        return null;
    }

    /// <summary>
    /// Follows the rollback: through its wait for approval first when it awaits one (<see cref="ApprovalWait"/>), then over
    /// the server's event stream (reconnecting when it drops), printing each step as it changes. The exit code is the outcome.
    /// </summary>
    internal static async Task<int> FollowAsync(CliContext context, RewindClient client, string id, CancellationToken cancellationToken)
    {
        if ((await client.GetRollbackAsync(id, cancellationToken)).Status == "awaiting")
        {
            var status = await ApprovalWait.ShowAsync(context, client, id, cancellationToken);
            if (await ApprovalWait.WaitAsync(context, client, status, cancellationToken) is { } undecided)
            {
                return undecided;
            }
        }

        var view = new FollowView(context.Console);
        var deadline = TimeProvider.System.GetUtcNow() + FollowLimit;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            try
            {
                await foreach (var rollback in client.FollowRollbackAsync(id, cancellationToken))
                {
                    view.Show(rollback);
                    if (rollback.Status is "succeeded" or "failed" or "cancelled")
                    {
                        return view.Finish(rollback);
                    }
                }
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // the client's own timeout ends a long stream: open it again, it starts with the state as it is
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken); // the controller restarting: it resumes the rollback
            }
        }

        await context.Error.WriteLineAsync($"error: stopped following {id} after {FollowLimit.TotalMinutes} minutes; it goes on in the controller");
        return ExitCodes.Failed;
    }
}

/// <summary>Prints a rollback as it moves: a line per step change, and a progress bar for batch steps at most once a second.</summary>
internal sealed class FollowView(IAnsiConsole console)
{
    private const int BarWidth = 20;

    private readonly HashSet<(int, string)> _printed = [];
    private readonly Dictionary<int, (int Done, DateTimeOffset At)> _progress = [];

    public void Show(RollbackDto rollback)
    {
        foreach (var step in rollback.Steps)
        {
            if (step is { Status: "running", Members: { Total: > 0 } members })
            {
                ShowProgress(step, members);
            }

            if (step.Status != "pending" && _printed.Add((step.Index, step.Status)))
            {
                console.MarkupLine($"  step {step.Index + 1} {Markup.Escape(step.Kind)}: {step.Status}{(step.Status == "running" || step.Output is null ? "" : " - " + Markup.Escape(step.Output))}");
                if (step.AwaitingApproval)
                {
                    console.MarkupLine($"    waiting for approval: {Markup.Escape(step.Description)}; `rewind approve {Markup.Escape(rollback.Id)}` or `rewind deny {Markup.Escape(rollback.Id)}`");
                }
            }
        }
    }

    public int Finish(RollbackDto rollback)
    {
        switch (rollback.Status)
        {
            case "succeeded":
                console.MarkupLine($"[green]{rollback.Id} succeeded[/]: {Markup.Escape(rollback.Component)} is on {Markup.Escape(rollback.ToVersion)} and healthy");
                return ExitCodes.Ok;
            case "cancelled":
                var touched = rollback.Steps.Any(s => s.Status != "pending");
                console.MarkupLine($"[yellow]{rollback.Id} cancelled[/]: {Markup.Escape(rollback.Error ?? "denied")}{(touched ? "" : "; nothing was touched")}");
                return ExitCodes.Failed;
            default:
                console.MarkupLine($"[red]{rollback.Id} failed[/]: {Markup.Escape(rollback.Error ?? "see the incident")}");
                return ExitCodes.Failed;
        }
    }

    private void ShowProgress(RollbackStepDto step, MemberCountsDto members)
    {
        var done = members.Succeeded + members.Failed;
        var now = TimeProvider.System.GetUtcNow();
        if (_progress.TryGetValue(step.Index, out var last) && (last.Done == done || now - last.At < TimeSpan.FromSeconds(1)))
        {
            return;
        }

        _progress[step.Index] = (done, now);
        var filled = done * BarWidth / members.Total;
        console.MarkupLine(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"  step {step.Index + 1} {Markup.Escape(step.Kind)}: [[{new string('#', filled)}{new string('.', BarWidth - filled)}]] {done}/{members.Total} done, {members.Failed} failed, {members.Running} running"));
    }
}

/// <summary><c>rewind rollback-group NAME</c>: every member of a group, in its order, each after the one before succeeded.</summary>
internal static class GroupRollbackCommand
{
    public static Command Create(CliContext context)
    {
        var group = new Argument<string>("group") { Description = "The group (groups: in rewind.yaml)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show every member's exact steps without touching anything" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation (required when not on a terminal)" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record (default: \"manual rollback\")" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the rollbacks are accepted instead of following them to the end" };
        var emergency = new Option<bool>("--emergency") { Description = "Skip the plans' pauses (delays between batches, approval gates marked skip-in-emergency); targets, approvals, traffic gates and health checks stay. Audited" };
        var command = new Command("rollback-group", "Roll a group of components back to their last known good, one after the other in the group's order; a member that fails stops the rest.") { group, dryRun, yes, reason, noWait, emergency, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var name = parse.GetValue(group)!;
            var request = new GroupRollbackRequest(parse.GetValue(reason) ?? "manual rollback", Emergency: parse.GetValue(emergency));
            var plan = await client.DryRunGroupRollbackAsync(name, request, cancellationToken);
            context.Console.MarkupLine($"plan: roll group [bold]{Markup.Escape(name)}[/] back, in this order{(request.Emergency ? " [red]EMERGENCY: pauses skipped[/]" : "")}:");
            foreach (var member in plan.Plans)
            {
                context.Console.MarkupLine($"[bold]{Markup.Escape(member.Component)}[/]: {Markup.Escape(member.FromVersion ?? "unknown")} -> [bold]{Markup.Escape(member.ToVersion)}[/]{RollbackCommand.PlanNote(member)}");
                foreach (var step in member.Steps)
                {
                    context.Console.MarkupLine($"  {step.Index + 1}. {Markup.Escape(step.Description)}");
                }

                if (member.Approval is { } approval)
                {
                    context.Console.MarkupLine(RollbackCommand.ApprovalNote(approval));
                }
            }

            if (parse.GetValue(dryRun))
            {
                context.Console.MarkupLine("dry run: nothing was touched");
                return ExitCodes.Ok;
            }

            if (!parse.GetValue(yes) && await RollbackCommand.ConfirmAsync(context, $"Roll back {string.Join(", then ", plan.Plans.Select(p => p.Component))}?") is { } refused)
            {
                return refused;
            }

            var accepted = await client.RequestGroupRollbackAsync(name, request, cancellationToken);
            context.Console.MarkupLine($"accepted: {string.Join(" -> ", accepted.Rollbacks.Select(r => $"{Markup.Escape(r.Id)} ({Markup.Escape(r.Component)})"))}");
            if (parse.GetValue(noWait))
            {
                return ExitCodes.Ok;
            }

            foreach (var rollback in accepted.Rollbacks)
            {
                context.Console.MarkupLine($"[bold]{Markup.Escape(rollback.Component)}[/] {Markup.Escape(rollback.Id)}");
                if (await RollbackCommand.FollowAsync(context, client, rollback.Id, cancellationToken) != ExitCodes.Ok)
                {
                    return ExitCodes.Failed; // the members after it are cancelled by the controller, untouched
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}

/// <summary><c>rewind abort ID</c>: stop a rollback now.</summary>
internal static class AbortCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The rollback to stop (RB-…)" };
        var reason = new Option<string>("--reason") { Description = "Why, for the record and the people paged", Required = true };
        var command = new Command("abort", "Stop a rollback now: one waiting for approval is cancelled; a running one is interrupted in its current step, recorded as aborted, and the incident pages a human.") { id, reason, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var rollback = await client.AbortRollbackAsync(parse.GetValue(id)!, parse.GetValue(reason)!, cancellationToken);
            context.Console.MarkupLine(rollback.Status == "cancelled"
                ? $"{Markup.Escape(rollback.Id)}: cancelled ({Markup.Escape(rollback.Error ?? "")})"
                : $"{Markup.Escape(rollback.Id)}: abort requested; the executor stops it and records where (`rewind incident show {Markup.Escape(rollback.IncidentId ?? "")}`)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
