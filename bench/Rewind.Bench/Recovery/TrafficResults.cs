namespace Rewind.Bench.Recovery;

/// <summary>The traffic scenario's measurements, in seconds, one per run.</summary>
internal sealed class TrafficResults(int runs, double gateSeconds, int stages)
{
    public int Runs { get; } = runs;

    public double GateSeconds { get; } = gateSeconds;

    public int Stages { get; } = stages;

    public string Haproxy { get; set; } = "unknown";

    /// <summary>Rollback requested → succeeded and 20 requests through the frontend answering v1, timed by the benchmark.</summary>
    public List<double> Rewind { get; } = [];

    /// <summary>The rollback's own record: requested → finished.</summary>
    public List<double> Plan { get; } = [];

    /// <summary>The same operations without Rewind, to the same proof.</summary>
    public List<double> Bare { get; } = [];
}
