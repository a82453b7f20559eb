using System.Globalization;
using Rewind.Client;
using Rewind.Core.Configuration;
using Spectre.Console;

namespace Rewind.Cli.Output;

/// <summary>How the CLI shows Rewind's records. Plain words first; colour only repeats what the words say.</summary>
internal static class Render
{
    /// <summary>Every time the CLI prints, in the one format: UTC, milliseconds, <c>Z</c> (<see cref="Timestamps"/>).</summary>
    public static string Time(DateTimeOffset? at) => Timestamps.Format(at);

    public static string Health(string health) => health switch
    {
        "healthy" => "[green]healthy[/]",
        "failing" => "[red]failing[/]",
        _ => "[yellow]unknown[/]",
    };

    public static Table Components(IEnumerable<ComponentDto> components)
    {
        var table = new Table().AddColumns("component", "health", "current", "state", "last known good", "open incident", "active rollback");
        foreach (var c in components)
        {
            table.AddRow(Markup.Escape(c.Name), Health(c.Health), Escape(c.CurrentVersion), Escape(c.CurrentState), Escape(c.LastKnownGood), Escape(c.OpenIncident), Escape(c.ActiveRollback));
        }

        return table;
    }

    /// <summary>The hosts' agents: connected or lost, and how long ago each last polled (by this machine's clock).</summary>
    public static Table Agents(IEnumerable<AgentHealthDto> agents, DateTimeOffset now)
    {
        var table = new Table().AddColumns("agent host", "state", "version", "last contact");
        foreach (var a in agents)
        {
            var contact = a.LastContact is { } seen ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (long)(now - seen).TotalSeconds)} s ago") : "never";
            table.AddRow(Markup.Escape(a.Host), a.Connected ? "[green]connected[/]" : "[red]lost[/]", Escape(a.Version), contact);
        }

        return table;
    }

    public static Table Releases(IEnumerable<ReleaseDto> releases)
    {
        var table = new Table().AddColumns("version", "state", "recorded", "stable since", "commit", "by", "incident");
        foreach (var r in releases)
        {
            var version = r.LastKnownGood ? $"{Markup.Escape(r.Version)} (last known good)" : Markup.Escape(r.Version);
            table.AddRow(version, Markup.Escape(r.State), Time(r.RecordedAt), Time(r.StableAt), Escape(r.Commit), Escape(r.RecordedBy), Escape(r.Incident));
        }

        return table;
    }

    public static Table Incidents(IEnumerable<IncidentDto> incidents)
    {
        var table = new Table().AddColumns("id", "severity", "status", "component", "opened", "resolved", "title");
        foreach (var i in incidents)
        {
            table.AddRow(i.Id, i.Severity, i.Status, Markup.Escape(i.Component), Time(i.OpenedAt), Time(i.ResolvedAt), Markup.Escape(i.Title));
        }

        return table;
    }

    public static Table Timeline(IEnumerable<TimelineEventDto> timeline)
    {
        var table = new Table().AddColumns("at", "kind", "actor", "what happened");
        foreach (var e in timeline)
        {
            table.AddRow(Time(e.At), Markup.Escape(e.Kind), Markup.Escape(e.Actor), Markup.Escape(e.Message));
        }

        return table;
    }

    public static Table Steps(IEnumerable<RollbackStepDto> steps)
    {
        var table = new Table().AddColumns("#", "step", "status", "attempts", "output");
        foreach (var s in steps)
        {
            table.AddRow((s.Index + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Description), s.Status, s.Attempts.ToString(CultureInfo.InvariantCulture), Escape(s.Output));
        }

        return table;
    }

    private static string Escape(string? value) => value is null ? "-" : Markup.Escape(value);
}
