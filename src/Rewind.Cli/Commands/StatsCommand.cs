using System.CommandLine;
using System.Globalization;
using Rewind.Cli.Output;
using Rewind.Client;
using Rewind.Core.Incidents;
using Spectre.Console;

namespace Rewind.Cli.Commands;

/// <summary><c>rewind stats</c>: incident metrics per component and overall, as a table.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var component = new Option<string?>("--component") { Description = "Only this component" };
        var since = new Option<string>("--since") { Description = "Incidents opened since this long ago (7d, 12h) or this ISO 8601 time", DefaultValueFactory = _ => "30d" };
        var command = new Command("stats", "Incident metrics per component and overall: incidents, rollbacks and their success rate, mean time to detect, roll back and recover, false-positive rate.") { component, since, context.ServerOption };
        command.SetAction((parse, cancellationToken) => context.CallAsync(parse, async client =>
        {
            var metrics = await client.GetIncidentMetricsAsync(parse.GetValue(component), parse.GetValue(since), cancellationToken: cancellationToken);
            context.Console.MarkupLine($"incidents opened {Render.Time(metrics.Since)} to {Render.Time(metrics.Until)}");
            var table = new Table().AddColumns("component", "incidents", "rollbacks", "rollback success", "mean time to detect", "mean time to roll back", "mean time to recover", "false positives");
            foreach (var row in metrics.Components.Append(metrics.Overall))
            {
                table.AddRow(
                    row.Component is null ? "[bold]all[/]" : Markup.Escape(row.Component),
                    row.Incidents.ToString(CultureInfo.InvariantCulture),
                    row.Rollbacks.ToString(CultureInfo.InvariantCulture),
                    Rate(row.RollbacksSucceeded, row.RollbacksSucceeded + row.RollbacksFailed, row.RollbackSuccessRate),
                    Seconds(row.MeanTimeToDetectSeconds),
                    Seconds(row.MeanTimeToRollBackSeconds),
                    Seconds(row.MeanTimeToRecoverSeconds),
                    Rate(row.FalsePositives, row.Resolved, row.FalsePositiveRate));
            }

            context.Console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Seconds(double? seconds) => seconds is { } value ? IncidentTimings.Format(TimeSpan.FromSeconds(value)) : "-";

    private static string Rate(int part, int whole, double? rate) =>
        rate is { } value ? string.Create(CultureInfo.InvariantCulture, $"{part}/{whole} ({value * 100:0.#} %)") : "-";
}
