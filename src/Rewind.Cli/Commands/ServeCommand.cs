using System.CommandLine;
using System.Net;
using System.Net.Sockets;
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
        var command = new Command("serve", "Run the controller: API, dashboard (at /ui/), monitor, decision engine and executor. On PostgreSQL several may run: each probes its share of the components, one leads (decides, rolls back), the others serve the API and take over when it goes. Resumes unfinished rollbacks when it starts leading.") { config, listen, replica };
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

            var address = parse.GetValue(listen) ?? result.Config!.Server.Listen;
            if (ListenRefusal(address) is { } busy)
            {
                await context.Error.WriteLineAsync($"error: cannot listen on {address}: {busy}");
                return ExitCodes.Failed; // said before the store is opened or any loop starts
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
                return await RunAsync(context, app, address, cancellationToken);
            }
        });
        return command;
    }

    /// <summary>Starts the controller and runs it until shutdown; an address taken meanwhile is one line, exit 1.</summary>
    private static async Task<int> RunAsync(CliContext context, WebApplication app, string address, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            var why = ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException ? InUse(address) : ex.Message;
            await context.Error.WriteLineAsync($"error: cannot listen on {address}: {why}");
            return ExitCodes.Failed;
        }

        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Why the listen address cannot be taken now (in use by another process, not an address of this host), or null when
    /// it can or the address is a name this check does not resolve (Kestrel then says it at start).
    /// </summary>
    private static string? ListenRefusal(string listen)
    {
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var url) || url.Port <= 0)
        {
            return null;
        }

        var ip = url.Host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(url.Host.Trim('[', ']'), out var parsed) ? parsed : null;
        if (ip is null)
        {
            return null;
        }

        try
        {
            var probe = new TcpListener(ip, url.Port);
            probe.Start();
            probe.Stop();
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return InUse(listen);
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }

    private static string InUse(string listen) =>
        $"the address is in use: another process listens on port {(Uri.TryCreate(listen, UriKind.Absolute, out var url) ? url.Port : 0)}; stop it, or listen elsewhere (--listen, server.listen)";

    /// <summary>Names the store without its password.</summary>
    private static string StoreKind(string store) => Redaction.Url(store);
}
