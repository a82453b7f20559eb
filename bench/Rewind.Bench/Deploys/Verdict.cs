namespace Rewind.Bench.Deploys;

/// <summary>One wrong or late decision, with the evidence from the controller's own record.</summary>
internal sealed record Finding(string Kind, string Component, string Version, DateTimeOffset At, bool HogOn, string Truth, IReadOnlyList<string> Timeline);

/// <summary>How one controller decided over every deploy of the run, scored against what the pipeline deployed.</summary>
internal sealed record Verdict(
    ControllerRole Role,
    int Deploys,
    int BadDeploys,
    int Rollbacks,
    int FalseRollbacks,
    int BadReleasesBlessed,
    int MissedBadReleases,
    int FalsePages,
    int FalseIncidents,
    int Pages,
    int BadCaughtInRestartGap,
    IReadOnlyList<double> DetectSecondsFromFirstRequest,
    IReadOnlyDictionary<string, int> Outcomes,
    IReadOnlyList<Finding> Findings)
{
    public double? MedianDetect => DetectSecondsFromFirstRequest.Count == 0 ? null : Stats.Of(DetectSecondsFromFirstRequest).Median;

    public double? P90Detect => DetectSecondsFromFirstRequest.Count == 0 ? null : Stats.Of(DetectSecondsFromFirstRequest).P90;
}
