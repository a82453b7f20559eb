using System.CommandLine;
using Rewind.Server.Hosting;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class ConfigCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The config file to check", DefaultValueFactory = _ => "rewind.yaml" };
        var check = new Command("check", "Validate a config file, and read the TLS certificate and key it names; print every error with file:line:column and exit 2 if there is any.") { file };
        check.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var result = ServerFiles.Check(await ConfigFile.LoadAsync(path, cancellationToken));
            if (result.IsValid)
            {
                var config = result.Config!;
                context.Console.MarkupLine($"{Markup.Escape(path)}: ok ({config.Components.Count} component(s), {config.Components.Sum(c => c.Value.Probes.Count)} probe(s), {config.Components.Sum(c => c.Value.Policies.Count)} polic(ies))");
                return ExitCodes.Ok;
            }

            foreach (var error in result.Errors)
            {
                await context.Error.WriteLineAsync(error.ToString());
            }

            await context.Error.WriteLineAsync($"{result.Errors.Count} error(s) in {path}");
            return ExitCodes.Invalid;
        });
        return new Command("config", "Work with rewind.yaml.") { check, ConfigReloadCommand.Create(context) };
    }
}
