using System.CommandLine;
using System.Text.Json;
using Rewind.Cli.Output;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class ReleaseCommands
{
    public static Command CreateRelease(CliContext context)
    {
        var command = new Command("release", "Record releases, mark them bad, promote one by hand, and check one before deploying it.");
        command.Add(CreateRecord(context));
        command.Add(CreateMarkBad(context));
        command.Add(CreatePromote(context));
        command.Add(CreateCheck(context));
        return command;
    }

    public static Command CreateReleases(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component whose releases to list" };
        var command = new Command("releases", "List a component's releases, newest first, with their states and the last known good.") { component, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            context.Console.Write(Render.Releases(await client.GetReleasesAsync(parse.GetValue(component)!, cancellationToken)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateRecord(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component that was deployed" };
        var version = new Argument<string>("version") { Description = "The version now serving" };
        var commit = new Option<string?>("--commit") { Description = "The source commit of the release" };
        var artifact = new Option<string?>("--artifact") { Description = "The artifact reference (image, archive, path)" };
        var by = new Option<string?>("--by") { Description = "Who deployed it (default: $USER)" };
        var deploying = new Option<bool>("--deploying") { Description = "Record before the switch: until the release serves healthy or its deploy-grace ends, restart gaps page nobody and roll nothing back; record it again without this flag when the deploy is done" };
        var schema = new Option<string?>("--schema") { Description = "The database schema the release runs on (the id of its newest migration); a rollback past a schema change then needs a plan that handles the database" };
        var command = new Command("record", "Record that a release was deployed; it bakes, then becomes stable (last known good).") { component, version, commit, artifact, by, deploying, schema, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var request = new RecordReleaseRequest(parse.GetValue(version)!, parse.GetValue(commit), parse.GetValue(artifact), parse.GetValue(by) ?? Environment.UserName, parse.GetValue(deploying), parse.GetValue(schema));
            var release = await client.RecordReleaseAsync(parse.GetValue(component)!, request, cancellationToken);
            context.Console.MarkupLine($"recorded {Markup.Escape(release.Component)} {Markup.Escape(release.Version)}: {release.State}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateMarkBad(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component of the release" };
        var version = new Argument<string>("version") { Description = "The release that hurts users" };
        var reason = new Option<string?>("--reason") { Description = "Why it is bad, for the record" };
        var command = new Command("mark-bad", "Mark a release bad: it is never a rollback target and is refused if recorded again.") { component, version, reason, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var release = await client.MarkBadAsync(parse.GetValue(component)!, parse.GetValue(version)!, new MarkBadRequest(parse.GetValue(reason), Environment.UserName), cancellationToken);
            context.Console.MarkupLine($"{Markup.Escape(release.Component)} {Markup.Escape(release.Version)} is now {release.State}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreatePromote(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component of the release" };
        var version = new Argument<string>("version") { Description = "The baking release to make known good" };
        var reason = new Option<string>("--reason") { Description = "Why it is good without the evidence its traffic would give (required; audited)", Required = true };
        var command = new Command("promote", "Make a baking release stable (a rollback target) by hand, when its traffic is too little to earn it; audited.") { component, version, reason, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var release = await client.PromoteAsync(parse.GetValue(component)!, parse.GetValue(version)!, new PromoteRequest(parse.GetValue(reason)!), cancellationToken);
            context.Console.MarkupLine($"{Markup.Escape(release.Component)} {Markup.Escape(release.Version)} is now {release.State}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateCheck(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component about to be deployed" };
        var version = new Argument<string>("version") { Description = "The version about to be deployed" };
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON (component, version, allowed, state, incident, reason)" };
        var command = new Command("check", $"Before a deploy: exit 0 if the version may be deployed, {ExitCodes.Refused} if it was marked bad or rolled back (the line names the incident).")
        {
            component, version, json, context.ServerOption,
        };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var check = await client.CheckReleaseAsync(parse.GetValue(component)!, parse.GetValue(version)!, cancellationToken);

            // Raw lines, never wrapped: pipelines log and grep them.
            await context.Output.WriteLineAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(check, RewindJson.Options)
                : check.Allowed ? $"ok: {check.Version} of {check.Component} may be deployed ({check.Reason})" : $"refused: {check.Reason}");
            return check.Allowed ? ExitCodes.Ok : ExitCodes.Refused;
        }));
        return command;
    }
}
