using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Rewind.Server;
using Rewind.Server.Hosting;

namespace Rewind.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<string>("--config", "-c") { Description = "The config file", DefaultValueFactory = _ => "rewind.yaml" };
        var listen = new Option<string?>("--listen") { Description = "Override server.listen, e.g. http://127.0.0.1:7878" };
        var command = new Command("serve", "Run the controller: API, monitor, decision engine and executor. Resumes unfinished rollbacks at start.") { config, listen };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)!;
            var result = await ConfigFile.LoadAsync(path, cancellationToken);
            if (!result.IsValid)
            {
                foreach (var error in result.Errors)
                {
                    await context.Error.WriteLineAsync(error.ToString());
                }

                return ExitCodes.Invalid;
            }

            await using var app = await RewindServer.CreateAsync(result.Config!, new RewindServerOptions { Listen = parse.GetValue(listen) }, cancellationToken);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
