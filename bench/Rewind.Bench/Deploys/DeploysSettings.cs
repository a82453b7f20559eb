namespace Rewind.Bench.Deploys;

/// <summary>The sizes and timings of one run of the deploys benchmark; <see cref="Quick"/> and <see cref="Full"/> differ only in length.</summary>
internal sealed record DeploysSettings(
    int Components,
    int DeploysPerComponent,
    TimeSpan HogOn,
    TimeSpan HogOff,
    TimeSpan JudgeWindow,
    TimeSpan JudgeLimit)
{
    public const double RequestsPerSecond = 20;
    public const double BaselineErrorFraction = 0.01;
    public const double BadErrorFraction = 0.03;
    public const int SlowAddedLatencyMs = 800;
    public const string LatencyObjective = "500ms";
    public const string BakeTime = "20s";
    public const string DeployGrace = "30s";

    /// <summary>
    /// A release's start is watched for <see cref="JudgeWindow"/> after its restart; the pipeline then waits until the
    /// controller has judged it (stable, bad or rolled back), at most <see cref="JudgeLimit"/> after the restart, as a
    /// pipeline that waits for its analysis does, and the component's next deploy starts.
    /// </summary>
    public static DeploysSettings Quick { get; } = new(10, 2, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(180));

    public static DeploysSettings Full { get; } = new(10, 7, TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(240));
}
