using System.Globalization;
using System.Text;
using Rewind.Core.Signals;

namespace Rewind.Core.Incidents;

public static partial class IncidentReport
{
    /// <summary>Per probe and period: samples, availability, latency p50 and max; the same figures from raw samples or rollups.</summary>
    private static void Signals(StringBuilder output, IReadOnlyList<SignalPeriod>? signals)
    {
        if (signals is null)
        {
            return;
        }

        output.AppendLine("## Signals").AppendLine();
        if (signals.Count == 0)
        {
            output.AppendLine("No probe of this component is configured.").AppendLine();
            return;
        }

        MarkdownText.Table(output, ["probe", "period", "from (UTC)", "to (UTC)", "samples", "availability", "latency p50", "latency max"], signals.Select(s => (IReadOnlyList<string>)
        [
            s.Probe,
            s.Period,
            IncidentTimings.Time(s.From),
            IncidentTimings.Time(s.To),
            (s.Summary?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
            s.Summary?.Availability is { } availability ? string.Create(CultureInfo.InvariantCulture, $"{availability * 100:0.00} %") : "-",
            Milliseconds(s.Summary?.LatencyPercentile(0.5)),
            Milliseconds(s.Summary?.LatencyMaxMs),
        ]));
        output.AppendLine();
        var hourly = signals.Any(s => s.Resolution == SampleResolution.Hour);
        output.AppendLine(hourly
            ? "Read from hourly rollups (minutes are no longer kept that far back): periods are whole hours. The p50 is the bound of the latency histogram bucket that holds it (at most twice the exact value), never more than the max."
            : "Periods are whole minutes. The p50 is the bound of the latency histogram bucket that holds it (at most twice the exact value), never more than the max.").AppendLine();
    }

    private static string Milliseconds(double? value) =>
        value is { } ms ? string.Create(CultureInfo.InvariantCulture, $"{ms:0.#} ms") : "-";
}
