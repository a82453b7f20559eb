namespace Rewind.Core.Haproxy;

/// <summary>
/// The HAProxy weights of a gradual traffic shift from old servers to new ones (e.g. 25 → 50 → 75 → 100 % to the new
/// servers), one <see cref="TrafficStage"/> per step. Pure: no I/O; made when a rollback is planned, so the weights
/// are stored with the plan, and applied by the traffic step's runner, which checks health between stages.
/// </summary>
/// <remarks>
/// Rounding, exactly: every stage shares the same total weight T. The new servers get
/// <c>round_half_up(T × step / 100)</c> = <c>(T × step + 50) / 100</c> in integer division, the old servers the rest,
/// so 0 % and 100 % are exact. Inside a group (its servers are taken as equal) each server gets
/// <c>group total / n</c> and the first <c>group total mod n</c> servers, in the order given, one more: weights in a
/// group differ by at most one and add up to the group total exactly. With the default T = 256 × the size of the
/// smaller group, no server ever exceeds HAProxy's 256 and the new group's share is off by at most 50 / T percent.
/// </remarks>
public sealed class TrafficShiftPlan
{
    /// <summary>Largest weight HAProxy accepts for a server.</summary>
    public const int MaxWeight = 256;

    private TrafficShiftPlan(int totalWeight, IReadOnlyList<TrafficStage> stages)
    {
        TotalWeight = totalWeight;
        Stages = stages;
    }

    /// <summary>The sum of all servers' weights in every stage.</summary>
    public int TotalWeight { get; }

    public IReadOnlyList<TrafficStage> Stages { get; }

    /// <param name="steps">Percent of traffic to the new servers at each stage: 0–100, strictly increasing.</param>
    /// <param name="oldServers">The servers traffic moves away from; at least one.</param>
    /// <param name="newServers">The servers traffic moves to; at least one, none also in <paramref name="oldServers"/>.</param>
    /// <param name="totalWeight">
    /// T; default 256 × the size of the smaller group (the finest split that keeps every weight within 256). Must be at
    /// least the size of the larger group, so every server gets a weight at 0 % and 100 %, and at most the default.
    /// </param>
    /// <exception cref="ArgumentException">A step, a server name or the total weight breaks the rules above.</exception>
    public static TrafficShiftPlan Create(IReadOnlyList<int> steps, IReadOnlyList<string> oldServers, IReadOnlyList<string> newServers, int? totalWeight = null)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(oldServers);
        ArgumentNullException.ThrowIfNull(newServers);
        RequireSteps(steps);
        RequireServers(oldServers, newServers);
        var largest = MaxWeight * Math.Min(oldServers.Count, newServers.Count);
        var total = totalWeight ?? largest;
        if (total < Math.Max(oldServers.Count, newServers.Count) || total > largest)
        {
            throw new ArgumentOutOfRangeException(nameof(totalWeight), total, $"the total weight must be from {Math.Max(oldServers.Count, newServers.Count)} to {largest} for these groups");
        }

        var stages = steps.Select(percent =>
        {
            var newTotal = ((total * percent) + 50) / 100;
            var oldTotal = total - newTotal;
            return new TrafficStage(percent, oldTotal, newTotal, [.. Split(oldServers, oldTotal), .. Split(newServers, newTotal)]);
        });
        return new TrafficShiftPlan(total, [.. stages]);
    }

    private static IEnumerable<ServerWeight> Split(IReadOnlyList<string> servers, int groupTotal) =>
        servers.Select((server, i) => new ServerWeight(server, (groupTotal / servers.Count) + (i < groupTotal % servers.Count ? 1 : 0)));

    private static void RequireSteps(IReadOnlyList<int> steps)
    {
        if (steps.Count == 0)
        {
            throw new ArgumentException("a traffic shift needs at least one step", nameof(steps));
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is < 0 or > 100 || (i > 0 && steps[i] <= steps[i - 1]))
            {
                throw new ArgumentException($"steps must be percentages from 0 to 100 in strictly increasing order: [{string.Join(", ", steps)}]", nameof(steps));
            }
        }
    }

    private static void RequireServers(IReadOnlyList<string> oldServers, IReadOnlyList<string> newServers)
    {
        if (oldServers.Count == 0 || newServers.Count == 0)
        {
            throw new ArgumentException("a traffic shift needs at least one old and one new server", oldServers.Count == 0 ? nameof(oldServers) : nameof(newServers));
        }

        foreach (var server in oldServers.Concat(newServers))
        {
            HaproxyName.Require(server, oldServers.Contains(server, StringComparer.Ordinal) ? nameof(oldServers) : nameof(newServers));
        }

        if (oldServers.Concat(newServers).GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"server '{twice.Key}' is named twice", nameof(newServers));
        }
    }
}

/// <summary>One stage of a <see cref="TrafficShiftPlan"/>: the weight of every server, old servers first.</summary>
/// <param name="Percent">The step as asked: the share of traffic meant for the new servers.</param>
/// <param name="OldWeight">The old servers' weights added up.</param>
/// <param name="NewWeight">The new servers' weights added up.</param>
/// <param name="Weights">Each server's weight: the old servers, then the new ones, each group in the order given.</param>
public sealed record TrafficStage(int Percent, int OldWeight, int NewWeight, IReadOnlyList<ServerWeight> Weights)
{
    /// <summary>The share of traffic the weights really give the new servers, in percent.</summary>
    public double NewPercent => 100.0 * NewWeight / (OldWeight + NewWeight);
}

public readonly record struct ServerWeight(string Server, int Weight);
