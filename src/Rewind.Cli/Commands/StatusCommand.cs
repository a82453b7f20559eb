using System.CommandLine;
using Rewind.Cli.Output;
using Spectre.Console;

namespace Rewind.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("status", "Show the controller and every component: health, current release, last known good, open incident.") { context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var health = await client.GetHealthAsync(cancellationToken);
            context.Console.MarkupLine($"controller: [green]{Markup.Escape(health.Status)}[/] (store {Markup.Escape(health.Store)}, {health.StoreLatencyMs:0.0} ms; up since {Render.Time(health.StartedAt)})");
            if (health.Leadership is { } leadership)
            {
                WriteLeadership(context, leadership);
            }

            if (health.Agents is { Count: > 0 } agents)
            {
                context.Console.Write(Render.Agents(agents, TimeProvider.System.GetUtcNow()));
            }

            if (health.Monitor.Overloaded)
            {
                context.Console.MarkupLine($"monitor: [yellow]overloaded[/]: {Markup.Escape(health.Monitor.Reason ?? "")}; automatic rollbacks on failures it can cause itself (timeouts…) are held");
            }
            else if (health.Monitor.NotMeasuredTotal > 0)
            {
                context.Console.MarkupLine($"monitor: {health.Monitor.NotMeasuredTotal} probe runs not measured since the start (the controller was behind; none now)");
            }

            ConfigReloadCommand.WriteStatus(context, health.Config);
            var components = await client.GetComponentsAsync(cancellationToken);
            context.Console.Write(Render.Components(components));
            foreach (var component in components.Where(c => c.Evidence is not null))
            {
                context.Console.MarkupLine($"{Markup.Escape(component.Name)} {Markup.Escape(component.CurrentVersion ?? "")} {Markup.Escape(component.CurrentState ?? "")}: {Markup.Escape(component.Evidence!)}");
            }

            foreach (var component in components.Where(c => c.Backups is not null))
            {
                var runs = component.Backups!.Count == 0
                    ? "no scheduled run yet"
                    : string.Join("; ", component.Backups.Select(r => $"{r.Kind} {Render.Time(r.StartedAt)} {(r.Succeeded ? "[green]ok[/]" : "[red]FAILED[/]")}: {Markup.Escape(r.Summary)}"));
                context.Console.MarkupLine($"{Markup.Escape(component.Name)} backups: {runs}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Who leads and which replicas there are; one line for the one controller of a SQLite store.</summary>
    private static void WriteLeadership(CliContext context, Client.LeadershipDto leadership)
    {
        if (leadership.Role == "sole")
        {
            context.Console.MarkupLine($"leader: {Markup.Escape(leadership.Replica)} (the one controller of this store{Watching(leadership.Replicas.FirstOrDefault(r => r.Name == leadership.Replica))})");
            return;
        }

        var lease = leadership.LeaseAgeMs is { } age && leadership.LeaseMs is { } ttl ? $"renewed {age / 1000:0.0} s ago, lease {ttl / 1000:0.#} s" : "lease not read yet";
        context.Console.MarkupLine(leadership.Leader is { } leader
            ? $"leader: [green]{Markup.Escape(leader)}[/] (epoch {leadership.Epoch}, {lease}); this answer from {Markup.Escape(leadership.Replica)} ({leadership.Role})"
            : $"leader: [red]none[/] (epoch {leadership.Epoch}, {lease}): samples are taken and stored, but nothing decides or rolls back until a replica takes the lease");
        foreach (var replica in leadership.Replicas)
        {
            var state = replica.Leader ? "[green]leader[/]" : replica.Alive ? "follower" : "[yellow]not seen[/]";
            context.Console.MarkupLine($"  replica {Markup.Escape(replica.Name)}: {state}, {Markup.Escape(replica.Host)} pid {replica.Pid}, {Markup.Escape(replica.Listen ?? "-")}, version {Markup.Escape(replica.Version)}, seen {Render.Time(replica.SeenAt)}{Watching(replica)}");
        }
    }

    /// <summary>", watches N components": the replica's share of the components; nothing when it holds none.</summary>
    private static string Watching(Client.ReplicaDto? replica) =>
        replica?.Watching is { } count ? $", watches {count} component{(count == 1 ? "" : "s")}" : "";
}
