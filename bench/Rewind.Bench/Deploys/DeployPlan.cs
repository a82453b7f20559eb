using System.Globalization;

namespace Rewind.Bench.Deploys;

/// <summary>What a release does once it serves: the ground truth the benchmark judges the controller by.</summary>
internal enum ReleaseKind
{
    Healthy,

    /// <summary>Three times the baseline's share of 500s on <c>/</c>; <c>/health</c> stays ok.</summary>
    Errors,

    /// <summary>Every request to <c>/</c> slower than the latency objective; <c>/health</c> stays ok.</summary>
    Slow,

    /// <summary><c>fault: broken</c>: 503 on <c>/health</c>, 500 on <c>/</c>.</summary>
    Down,
}

/// <summary>One deploy the pipeline will make: the release, what it is, its start-up delay, and when the pipeline records it done (null: never).</summary>
internal sealed record PlannedDeploy(string Component, string Version, ReleaseKind Kind, int StartupDelayMs, TimeSpan? RecordAfter)
{
    public bool IsBad => Kind != ReleaseKind.Healthy;
}

/// <summary>The deploys of every component, fixed by a seed so two runs deploy the same thing.</summary>
internal static class DeployPlan
{
    /// <summary>Half the deploys are healthy; the bad ones rotate through the three faults.</summary>
    private static readonly ReleaseKind[] Rotation = [ReleaseKind.Healthy, ReleaseKind.Errors, ReleaseKind.Healthy, ReleaseKind.Slow, ReleaseKind.Healthy, ReleaseKind.Down];

    public const string FirstVersion = "v01";

    public static string ComponentName(int index) => string.Create(CultureInfo.InvariantCulture, $"svc{index + 1:00}");

    public static IReadOnlyList<PlannedDeploy> For(int componentIndex, int deploys, int seed = 20261206)
    {
        var random = new Random(seed + componentIndex);
        var name = ComponentName(componentIndex);
        var plan = new List<PlannedDeploy>();
        for (var k = 0; k < deploys; k++)
        {
            var kind = Rotation[((2 * componentIndex) + k) % Rotation.Length];
            var startupDelay = random.NextDouble() < 0.4 ? random.Next(1000, 3001) : 0;
            TimeSpan? recordAfter = random.NextDouble() < 0.15 ? null : TimeSpan.FromMilliseconds(random.Next(0, 3001));
            plan.Add(new PlannedDeploy(name, string.Create(CultureInfo.InvariantCulture, $"v{k + 2:00}"), kind, startupDelay, recordAfter));
        }

        return plan;
    }
}
