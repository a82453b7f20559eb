using System.CommandLine;
using Rewind.Cli.Output;
using Rewind.Client;
using Rewind.Server.Access;
using Rewind.Server.Hosting;
using Rewind.Storage;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary>Users, API tokens and the audit log.</summary>
internal static class AccessCommands
{
    /// <summary><c>rewind access init NAME</c>: the first admin, made straight in the store of a config.</summary>
    public static Command CreateAccess(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The first admin's user name" };
        var config = new Option<string>("--config", "-c") { Description = "The config file whose store to use", DefaultValueFactory = _ => "rewind.yaml" };
        var force = new Option<bool>("--force") { Description = "Add another admin even though one exists (for a lost token)" };
        var init = new Command("init", "Create the first admin user and print their API token, straight in the store (run where the config and store are). Refused once an admin exists, unless --force.") { name, config, force };
        init.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = await ConfigFile.LoadAsync(parse.GetValue(config)!, cancellationToken);
            if (!loaded.IsValid)
            {
                foreach (var error in loaded.Errors)
                {
                    await context.Error.WriteLineAsync(error.ToString());
                }

                return ExitCodes.Invalid;
            }

            await using var store = (IAsyncDisposable)StoreFactory.Open(loaded.Config!.Store);
            var opened = (Rewind.Core.Storage.IStore)store;
            await opened.MigrateAsync(cancellationToken);
            var (token, refusal) = await AccessBootstrap.CreateAdminAsync(opened, parse.GetValue(name)!, TimeProvider.System, $"local:{Environment.UserName}", parse.GetValue(force), cancellationToken: cancellationToken);
            if (refusal is not null)
            {
                await context.Error.WriteLineAsync($"error: {refusal}");
                return ExitCodes.Failed;
            }

            context.Console.MarkupLine($"admin [bold]{Markup.Escape(parse.GetValue(name)!)}[/] created. Their token (shown once, it does not expire; make day-to-day tokens with rewind token create):");
            context.Console.WriteLine(token!);
            return ExitCodes.Ok;
        });
        return new Command("access", "Set up access control.") { init };
    }

    public static Command CreateUser(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The user name" };
        var roles = new Option<string[]>("--role") { Description = "A role: viewer, operator, approver, admin, or a custom role such as tech-lead (repeatable)", Required = true, AllowMultipleArgumentsPerToken = false };
        var add = new Command("add", "Create a user with roles (admin only).") { name, roles, context.ServerOption };
        add.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var user = await client.CreateUserAsync(new CreateUserRequest(parse.GetValue(name)!, parse.GetValue(roles)!), cancellationToken);
            context.Console.MarkupLine($"user {Markup.Escape(user.Name)} created with roles {Markup.Escape(string.Join(", ", user.Roles))}; make them a token with rewind token create {Markup.Escape(user.Name)}");
            return ExitCodes.Ok;
        }));
        var disableName = new Argument<string>("name") { Description = "The user name" };
        var disable = new Command("disable", "Disable a user: every token of theirs stops working (admin only).") { disableName, context.ServerOption };
        disable.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            await client.DisableUserAsync(parse.GetValue(disableName)!, cancellationToken);
            context.Console.MarkupLine($"user {Markup.Escape(parse.GetValue(disableName)!)} disabled");
            return ExitCodes.Ok;
        }));
        var list = new Command("list", "List users and their roles (admin only).") { context.ServerOption };
        list.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var table = new Table().AddColumns("USER", "ROLES", "CREATED", "BY", "DISABLED");
            foreach (var user in await client.GetUsersAsync(cancellationToken))
            {
                table.AddRow(Markup.Escape(user.Name), Markup.Escape(string.Join(", ", user.Roles)), Render.Time(user.CreatedAt), Markup.Escape(user.CreatedBy), user.DisabledAt is null ? "" : Render.Time(user.DisabledAt));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        var whoami = new Command("whoami", "Show who the token in REWIND_TOKEN belongs to, and their roles.") { context.ServerOption };
        whoami.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var me = await client.WhoAmIAsync(cancellationToken);
            context.Console.MarkupLine($"{Markup.Escape(me.Name)} ({Markup.Escape(string.Join(", ", me.Roles))}), token {Markup.Escape(me.TokenId ?? "-")}");
            return ExitCodes.Ok;
        }));
        var totp = new Command("totp", "Enrol (or re-enrol) your second factor for approvals: prints a secret and an otpauth:// URI for an authenticator app, once.") { context.ServerOption };
        totp.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var me = await client.WhoAmIAsync(cancellationToken);
            var enrolment = await client.EnrolTotpAsync(me.Name, cancellationToken);
            context.Console.MarkupLine($"second factor enrolled for {Markup.Escape(enrolment.User)}; add it to your authenticator app (shown once):");
            context.Console.WriteLine(enrolment.ProvisioningUri);
            context.Console.WriteLine($"secret: {enrolment.Secret}");
            return ExitCodes.Ok;
        }));
        return new Command("user", "Users and their roles.") { add, disable, list, whoami, totp };
    }

    public static Command CreateAudit(CliContext context)
    {
        var limit = new Option<int>("--limit") { Description = "How many entries, newest last", DefaultValueFactory = _ => 50 };
        var list = new Command("audit", "Show the audit log (admin only): who did what, when, from where, with what result; COUNT is how many refused requests an entry stands for.") { limit, context.ServerOption };
        list.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var entries = new List<AuditEntryDto>();
            for (long after = 0; ;)
            {
                var page = await client.GetAuditAsync(after, 1000, cancellationToken);
                entries.AddRange(page);
                if (page.Count < 1000)
                {
                    break;
                }

                after = page[^1].Seq;
            }

            var table = new Table().AddColumns("SEQ", "AT", "ACTOR", "ACTION", "TARGET", "FROM", "RESULT", "COUNT", "DETAIL");
            foreach (var e in entries.TakeLast(parse.GetValue(limit)))
            {
                table.AddRow(e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), Render.Time(e.At), Markup.Escape(e.Actor), Markup.Escape(e.Action), Markup.Escape(e.Target), Markup.Escape(e.Source), Markup.Escape(e.Result), e.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(e.Detail));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        var verify = new Command("verify", "Check the audit log's hash chain from its first entry: any edited, removed or reordered entry is named; exit 1 if so.") { context.ServerOption };
        verify.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var result = await client.VerifyAuditAsync(cancellationToken);
            if (result.Intact)
            {
                context.Console.MarkupLine($"audit log intact: {result.Entries} entries, last hash {Markup.Escape(result.LastHash ?? "-")}");
                return ExitCodes.Ok;
            }

            foreach (var problem in result.Problems)
            {
                await context.Error.WriteLineAsync($"audit: {problem}");
            }

            await context.Error.WriteLineAsync($"audit log NOT intact: {result.Problems.Count} problem(s) in {result.Entries} entries");
            return ExitCodes.Failed;
        }));
        list.Add(verify);
        return list;
    }

    public static Command CreateToken(CliContext context)
    {
        var user = new Argument<string>("user") { Description = "Whose token: yourself, or any user when you are an admin" };
        var expires = new Option<string>("--expires") { Description = "Lifetime, e.g. 30d or 12h (at most 366d), or never", DefaultValueFactory = _ => "90d" };
        var description = new Option<string?>("--description") { Description = "What the token is for, e.g. ci-pipeline or alice-laptop" };
        var create = new Command("create", "Make an API token for a user. It is printed once; Rewind keeps only its hash.") { user, expires, description, context.ServerOption };
        create.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var made = await client.CreateTokenAsync(parse.GetValue(user)!, new CreateTokenRequest(parse.GetValue(description), parse.GetValue(expires)), cancellationToken);
            context.Console.MarkupLine($"token {Markup.Escape(made.Id)} for {Markup.Escape(made.User)}, expires {(made.ExpiresAt is null ? "never" : Render.Time(made.ExpiresAt))} (shown once; use it as REWIND_TOKEN):");
            context.Console.WriteLine(made.Token);
            return ExitCodes.Ok;
        }));
        var forUser = new Option<string?>("--user") { Description = "Only this user's tokens (admins see everyone's; others only their own)" };
        var list = new Command("list", "List API tokens: id, user, description, created, expiry, revocation. Never the tokens themselves.") { forUser, context.ServerOption };
        list.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var table = new Table().AddColumns("ID", "USER", "DESCRIPTION", "CREATED", "EXPIRES", "REVOKED");
            foreach (var t in await client.GetTokensAsync(parse.GetValue(forUser), cancellationToken))
            {
                table.AddRow(Markup.Escape(t.Id), Markup.Escape(t.User), Markup.Escape(t.Description), Render.Time(t.CreatedAt), t.ExpiresAt is null ? "never" : Render.Time(t.ExpiresAt), t.RevokedAt is null ? "" : Render.Time(t.RevokedAt));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        var id = new Argument<string>("id") { Description = "The token's id (tok_…), from rewind token list" };
        var revoke = new Command("revoke", "Revoke an API token at once (your own, or any when you are an admin).") { id, context.ServerOption };
        revoke.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            await client.RevokeTokenAsync(parse.GetValue(id)!, cancellationToken);
            context.Console.MarkupLine($"token {Markup.Escape(parse.GetValue(id)!)} revoked");
            return ExitCodes.Ok;
        }));
        return new Command("token", "API tokens for people and pipelines, and push tokens for applications.") { create, list, revoke, SignalCommands.CreatePushToken(context) };
    }
}
