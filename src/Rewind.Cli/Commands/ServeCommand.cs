using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Rewind.Core.Configuration;
using Rewind.Engine;
using Rewind.Server;
using Rewind.Server.Hosting;

namespace Rewind.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<string>("--config", "-c") { Description = "The config file", DefaultValueFactory = _ => "rewind.yaml" };
        var listen = new Option<string?>("--listen") { Description = "Override server.listen, e.g. http://127.0.0.1:7878 (https:// only with server.tls in the config)" };
        var replica = new Option<string?>("--replica") { Description = "This controller's name among the replicas of a PostgreSQL store (default HOST:PORT of the listener); unique among them" };
        var command = new Command("serve", "Run the controller: API, dashboard (at /ui/), monitor, decision engine and executor. On PostgreSQL several may run: one leads (probes, decides, rolls back), the others serve the API and take over when it goes. Resumes unfinished rollbacks when it starts leading.") { config, listen, replica };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)!;
            var result = ServerFiles.Check(await ConfigFile.LoadAsync(path, cancellationToken));
            if (!result.IsValid)
            {
                foreach (var error in result.Errors)
                {
                    await context.Error.WriteLineAsync(error.ToString());
                }

                return ExitCodes.Invalid;
            }

            WebApplication app;
            try
            {
                app = await RewindServer.CreateAsync(result.Config!, new RewindServerOptions { Listen = parse.GetValue(listen), ConfigPath = Path.GetFullPath(path), Replica = parse.GetValue(replica) }, cancellationToken);
            }
            catch (RewindStartException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.Failed;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await context.Error.WriteLineAsync($"error: cannot open the store {StoreKind(result.Config!.Store)}: {ex.Message}");
                return ExitCodes.Failed;
            }

            await using (app)
            {
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (IOException ex)
                {
                    await context.Error.WriteLineAsync($"error: cannot listen on {parse.GetValue(listen) ?? result.Config!.Server.Listen}: {ex.Message}");
                    return ExitCodes.Failed;
                }

                await app.WaitForShutdownAsync(cancellationToken);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Names the store without its password.</summary>
    private static string StoreKind(string store) => Redaction.Url(store);
}
