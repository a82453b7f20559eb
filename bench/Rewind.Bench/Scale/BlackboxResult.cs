namespace Rewind.Bench.Scale;

/// <summary>What the baseline measured at N targets over its window.</summary>
internal sealed record BlackboxResult(int Targets, double WindowSeconds)
{
    /// <summary>Scrapes of the exporter Prometheus made per second (<c>up</c> samples), each one probe.</summary>
    public double ProbesPerSecond { get; init; }

    /// <summary>Of those, the fraction the exporter answered within the scrape timeout (the others are <c>up</c> 0, no probe result).</summary>
    public double AnsweredFraction { get; init; }

    /// <summary>Of those, the fraction whose probe succeeded (<c>probe_success</c> 1).</summary>
    public double SuccessFraction { get; init; }

    /// <summary>Prometheus and the exporter together, CPU ms per probe.</summary>
    public double CpuMsPerProbe { get; init; }

    public double PrometheusCpuMsPerProbe { get; init; }

    public double ExporterCpuMsPerProbe { get; init; }

    public double Cores { get; init; }

    public double TargetCores { get; init; }

    /// <summary>From the start of both processes to every target scraped once; null when that did not happen within the limit.</summary>
    public double? FirstRoundSeconds { get; init; }

    public string? Error { get; init; }
}
