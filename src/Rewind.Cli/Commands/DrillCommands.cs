using System.CommandLine;
using System.Text.Json;
using Rewind.Cli.Output;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary><c>rewind drill</c>: game days. Start a declared drill and follow it to its report; list drills and runs; show or abort a run.</summary>
internal static class DrillCommands
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromSeconds(1);

    public static Command Create(CliContext context) =>
        new("drill", "Game days: make a declared fault and watch Rewind detect and recover as in production, judged against the drill's targets.")
        {
            CreateRun(context), CreateList(context), CreateRuns(context), CreateShow(context), CreateAbort(context),
        };

    private static Command CreateRun(CliContext context)
    {
        var name = new Argument<string>("drill") { Description = "The drill (drills.NAME in the config)" };
        var reason = new Option<string?>("--reason") { Description = "Why it is run now, for the audit log" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the run is requested instead of following it to its report" };
        var json = new Option<bool>("--json") { Description = "Print the finished run as JSON" };
        var command = new Command("run", $"Start a drill and follow it to its report: exit 0 when it passed, {ExitCodes.Failed} when it failed or was aborted, {ExitCodes.Refused} when it was refused (a real incident or a rollback is open on its components).")
        {
            name, reason, noWait, json, context.ServerOption,
        };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            DrillRunDto run;
            try
            {
                run = await client.StartDrillAsync(parse.GetValue(name)!, new StartDrillRequest(parse.GetValue(reason)), cancellationToken);
            }
            catch (RewindApiException ex) when (ex.Status == 409)
            {
                await context.Error.WriteLineAsync($"refused: {ex.Message}");
                return ExitCodes.Refused;
            }

            await context.Output.WriteLineAsync($"{run.Id}: drill {run.Drill} requested; its fault hits {string.Join(", ", run.Components)}");
            if (parse.GetValue(noWait))
            {
                return ExitCodes.Ok;
            }

            run = await FollowAsync(context, client, run, cancellationToken);
            await context.Output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(run, RewindJson.Options) : "\n" + DrillText.Report(run));
            return Exit(run);
        }));
        return command;
    }

    private static async Task<DrillRunDto> FollowAsync(CliContext context, RewindClient client, DrillRunDto run, CancellationToken cancellationToken)
    {
        var said = run.Status;
        while (run.Status is "requested" or "running")
        {
            await Task.Delay(FollowPoll, TimeProvider.System, cancellationToken);
            run = await client.GetDrillRunAsync(run.Id, cancellationToken);
            if (run.Status != said)
            {
                said = run.Status;
                await context.Output.WriteLineAsync($"{run.Id}: {run.Status}{(run.FaultAt is { } fault ? $" (fault made {Render.Time(fault)})" : "")}");
            }
        }

        return run;
    }

    private static int Exit(DrillRunDto run) => run.Status switch
    {
        "passed" => ExitCodes.Ok,
        "refused" => ExitCodes.Refused,
        _ => ExitCodes.Failed,
    };

    private static Command CreateList(CliContext context)
    {
        var markdown = new Option<bool>("--markdown") { Description = "One Markdown table row per drill: targets, the last run's figures, the verdict (for docs and reviews)" };
        var command = new Command("list", "The declared drills: target, fault, schedule, the last run and the trend of passes and failures.") { markdown, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var drills = await client.GetDrillsAsync(cancellationToken);
            if (parse.GetValue(markdown))
            {
                await context.Output.WriteAsync(DrillText.Table(drills));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("drill", "target", "fault", "schedule", "last run", "trend (oldest first)");
            foreach (var drill in drills)
            {
                var last = drill.LastRun is { } run ? $"{run.Id} {run.Status} {Render.Time(run.FinishedAt ?? run.RequestedAt)}" : "never run";
                var trend = drill.Trend.Points.Count == 0 ? "-" : string.Concat(drill.Trend.Points.TakeLast(20).Select(p => p.Passed ? "✓" : "✗")) + $" {drill.Trend.Passed} passed, {drill.Trend.Failed} failed";
                table.AddRow(Markup.Escape(drill.Name), Markup.Escape(drill.Target), Markup.Escape(drill.Fault), Markup.Escape(drill.Schedule ?? "-"), Markup.Escape(last), Markup.Escape(trend));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateRuns(CliContext context)
    {
        var name = new Argument<string?>("drill") { Description = "Only this drill's runs", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("runs", "Drill runs, newest first, with their one-line summaries. Drill incidents are kept out of `rewind stats`; this is their record.") { name, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var table = new Table().AddColumns("run", "drill", "status", "requested", "by", "summary");
            foreach (var run in await client.GetDrillRunsAsync(parse.GetValue(name), cancellationToken))
            {
                table.AddRow(Markup.Escape(run.Id), Markup.Escape(run.Drill), Markup.Escape(run.Status), Render.Time(run.RequestedAt), Markup.Escape(run.RequestedBy), Markup.Escape(run.Summary ?? ""));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateShow(CliContext context)
    {
        var id = new Argument<string>("run") { Description = "The drill run (DR-…)" };
        var json = new Option<bool>("--json") { Description = "Print the run as JSON" };
        var command = new Command("show", "A drill run's report: every figure against its target, what happened in order, the data lost.") { id, json, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var run = await client.GetDrillRunAsync(parse.GetValue(id)!, cancellationToken);
            await context.Output.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(run, RewindJson.Options) : DrillText.Report(run));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateAbort(CliContext context)
    {
        var id = new Argument<string>("run") { Description = "The drill run (DR-…)" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record" };
        var command = new Command("abort", "Stop a drill run: its fault is cleared and it is recorded as aborted, unjudged. A rollback it started is not stopped (use `rewind abort`).") { id, reason, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var run = await client.AbortDrillRunAsync(parse.GetValue(id)!, new AbortDrillRequest(parse.GetValue(reason)), cancellationToken);
            await context.Output.WriteLineAsync($"{run.Id}: {run.Status}: {run.Summary}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
