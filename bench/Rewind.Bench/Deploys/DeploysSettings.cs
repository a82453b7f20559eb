namespace Rewind.Bench.Deploys;

/// <summary>The sizes and timings of one run of the deploys benchmark; <see cref="Quick"/> and <see cref="Full"/> differ only in length.</summary>
internal sealed record DeploysSettings(
    int Components,
    int DeploysPerComponent,
    TimeSpan HogOn,
    TimeSpan HogOff,
    TimeSpan JudgeWindow)
{
    public const double RequestsPerSecond = 20;
    public const double BaselineErrorFraction = 0.01;
    public const double BadErrorFraction = 0.03;
    public const int SlowAddedLatencyMs = 800;
    public const string LatencyObjective = "500ms";
    public const string BakeTime = "20s";
    public const string DeployGrace = "30s";

    /// <summary>Every deploy is judged within this after its restart, then the component's next deploy starts.</summary>
    public static DeploysSettings Quick { get; } = new(10, 2, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(55));

    public static DeploysSettings Full { get; } = new(10, 7, TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(60));
}
