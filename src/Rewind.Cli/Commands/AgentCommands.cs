using System.CommandLine;
using Rewind.Cli.Agent;
using Rewind.Cli.Output;
using Rewind.Client;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary><c>rewind agent</c>: the agent of one host, and the commands that manage agents and their tokens.</summary>
internal static class AgentCommands
{
    public const string TokenVariable = "REWIND_AGENT_TOKEN";

    public static Command Create(CliContext context, Func<string, string?> environment)
    {
        var servers = new Option<string[]>("--server")
        {
            Description = "URL of a controller; repeat it for each replica (default: $REWIND_SERVER, comma-separated, or http://127.0.0.1:7878)",
            AllowMultipleArgumentsPerToken = false,
        };
        var tokenFile = new Option<string?>("--token-file") { HelpName = "file", Description = $"File holding the agent token (default: ${TokenVariable})" };
        var journal = new Option<string>("--journal")
        {
            HelpName = "dir",
            Description = "Directory of the agent's journal: what it started, finished and reported",
            DefaultValueFactory = _ => "/var/lib/rewind-agent",
        };
        var config = ClustersOption();
        var agent = new Command("agent", "Run the agent of this host: take the host's steps from the controller (switch, restart, files restore, command; a cluster's backups, snapshots and restores), run them here, and report them; run the probes that name this host and send their samples. Its host is its token's (rewind agent token create HOST).")
        {
            servers, tokenFile, journal, config, context.CaOption,
        };
        agent.SetAction(async (parse, cancellationToken) =>
        {
            var token = parse.GetValue(tokenFile) is { Length: > 0 } file
                ? (File.Exists(file) ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : null)
                : environment(TokenVariable)?.Trim();
            if (string.IsNullOrEmpty(token) || !token.StartsWith(Core.Agents.AgentToken.Prefix, StringComparison.Ordinal))
            {
                await context.Error.WriteLineAsync($"error: no agent token: give --token-file FILE or set {TokenVariable} to a token made with rewind agent token create HOST (it starts with {Core.Agents.AgentToken.Prefix})");
                return ExitCodes.Invalid;
            }

            if (await ServersAsync(context, parse.GetValue(servers), environment) is not { } addresses)
            {
                return ExitCodes.Invalid;
            }

            var trust = ServerTrust.SystemStore();
            var ca = parse.GetValue(context.CaOption) is { Length: > 0 } option ? option : environment("REWIND_CA");
            if (ca is { Length: > 0 })
            {
                if (ServerTrust.FromFile(ca, "--ca", out var problem) is not { } fromFile)
                {
                    await context.Error.WriteLineAsync($"error: {problem}");
                    return ExitCodes.Invalid;
                }

                trust = fromFile;
            }

            var configPath = parse.GetValue(config) is { Length: > 0 } given ? given : environment("REWIND_CONFIG") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
            if (await ClustersAsync(context, configPath, cancellationToken) is not (var clusters, true))
            {
                return ExitCodes.Invalid;
            }

            var options = new AgentOptions(addresses, token, parse.GetValue(journal)!, address => trust.CreateHandler(address.ToString(), address)) { Config = clusters, ConfigPath = configPath is null ? null : Path.GetFullPath(configPath) };
            return await new AgentProcess(options, context.Output, TimeProvider.System).RunAsync(cancellationToken);
        });
        agent.Add(Tokens(context));
        agent.Add(List(context));
        agent.Add(BreakGlass(context));
        return agent;
    }

    private static Option<string?> ClustersOption() => new("--config", "-c")
    {
        HelpName = "file",
        Description = "The config file that declares the PostgreSQL clusters on this host (their backups, data directory and tools), as rewind wal push reads it: needed for their backups, snapshots and restores (default: $REWIND_CONFIG, else none)",
    };

    /// <summary>The config of the clusters on this host, none without a path; not valid after saying where it is wrong.</summary>
    private static async Task<(Core.Configuration.RewindConfig? Config, bool Valid)> ClustersAsync(CliContext context, string? path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return (null, true);
        }

        var loaded = await Server.Hosting.ConfigFile.LoadAsync(path, cancellationToken);
        foreach (var error in loaded.Errors)
        {
            await context.Error.WriteLineAsync(error.ToString());
        }

        return (loaded.Config, loaded.IsValid);
    }

    /// <summary>The controllers' URLs: <c>--server</c> (repeated), else <c>REWIND_SERVER</c> (comma-separated), else the default; null after saying which is not a URL.</summary>
    private static async Task<List<Uri>?> ServersAsync(CliContext context, string[]? servers, Func<string, string?> environment)
    {
        var given = servers is { Length: > 0 } list ? list
            : environment("REWIND_SERVER") is { Length: > 0 } variable ? variable.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [RewindClient.DefaultServer];
        var fromOption = servers is { Length: > 0 };
        var addresses = new List<Uri>();
        foreach (var server in given)
        {
            if (ServerAddress.Resolve(fromOption ? server : null, server, out var error) is not { } address)
            {
                await context.Error.WriteLineAsync($"error: {error}");
                return null;
            }

            addresses.Add(address.BaseAddress);
        }

        return addresses;
    }

    private static Command Tokens(CliContext context)
    {
        var host = new Argument<string>("host") { Description = "The host the agent runs on, as the config names it (host: app-1)" };
        var description = new Option<string?>("--description") { Description = "What the token is for" };
        var expiresIn = new Option<string?>("--expires-in") { Description = "A duration such as 365d, or never (default: never)" };
        var create = new Command("create", "Make a token for the agent of one host; it is good for that host's agent endpoints only (admin only). Shown once.") { host, description, expiresIn, context.ServerOption };
        create.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var made = await client.CreateAgentTokenAsync(new CreateAgentTokenRequest(parse.GetValue(host)!, parse.GetValue(description), parse.GetValue(expiresIn)), cancellationToken);
            context.Console.MarkupLine($"agent token {Markup.Escape(made.Id)} for host [bold]{Markup.Escape(made.Host)}[/] ({(made.ExpiresAt is null ? "does not expire" : "expires " + Render.Time(made.ExpiresAt))}); put it in the agent's token file (shown once):");
            context.Console.WriteLine(made.Token);
            return ExitCodes.Ok;
        }));
        var list = new Command("list", "List agent tokens (admin only).") { context.ServerOption };
        list.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var table = new Table().AddColumns("ID", "HOST", "DESCRIPTION", "CREATED", "BY", "EXPIRES", "REVOKED");
            foreach (var token in await client.GetAgentTokensAsync(cancellationToken))
            {
                table.AddRow(Markup.Escape(token.Id), Markup.Escape(token.Host), Markup.Escape(token.Description), Render.Time(token.CreatedAt), Markup.Escape(token.CreatedBy), token.ExpiresAt is null ? "never" : Render.Time(token.ExpiresAt), token.RevokedAt is null ? "" : Render.Time(token.RevokedAt));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        var id = new Argument<string>("id") { Description = "The token's id (rewind agent token list)" };
        var revoke = new Command("revoke", "Revoke an agent token: its agent is refused from then on (admin only).") { id, context.ServerOption };
        revoke.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            await client.RevokeAgentTokenAsync(parse.GetValue(id)!, cancellationToken);
            context.Console.MarkupLine($"agent token {Markup.Escape(parse.GetValue(id)!)} revoked");
            return ExitCodes.Ok;
        }));
        return new Command("token", "Agent tokens: one per host.") { create, list, revoke };
    }

    private static Command BreakGlass(CliContext context)
    {
        var component = new Argument<string>("component") { Description = "The component on this host to put back on its last known good" };
        var journal = new Option<string>("--journal")
        {
            HelpName = "dir",
            Description = "The host's agent journal, where it keeps the last known goods",
            DefaultValueFactory = _ => "/var/lib/rewind-agent",
        };
        var yes = new Option<bool>("--yes") { Description = "Run it; without it, say what would run and change nothing" };
        var rollback = new Command("rollback", "Break glass: with no controller reachable, roll a component on this host back to the last known good its agent last heard of; the agent reports it when a controller answers.") { component, journal, yes };
        rollback.SetAction((parse, cancellationToken) => Agent.BreakGlassRollback.RunAsync(parse.GetValue(journal)!, parse.GetValue(component)!, parse.GetValue(yes), context.Output, context.Error, TimeProvider.System, cancellationToken));
        return rollback;
    }

    private static Command List(CliContext context)
    {
        var list = new Command("list", "List the agents as they last polled: host, version, address, last contact.") { context.ServerOption };
        list.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var table = new Table().AddColumns("HOST", "STATE", "VERSION", "ADDRESS", "LAST CONTACT", "STARTED");
            foreach (var agent in await client.GetAgentsAsync(cancellationToken))
            {
                table.AddRow(Markup.Escape(agent.Host), agent.Connected ? "[green]connected[/]" : "[red]lost[/]", Markup.Escape(agent.Version), Markup.Escape(agent.Address ?? ""), Render.Time(agent.SeenAt), Render.Time(agent.StartedAt));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        return list;
    }
}
