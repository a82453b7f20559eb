namespace SampleService.Faults;

/// <summary>The graded faults in force; <see cref="None"/> (all zero) is a release without them.</summary>
/// <param name="ErrorFraction">The share of requests to <c>/</c> that answer 500, within 0..1.</param>
/// <param name="AddedLatencyMs">How long every request to <c>/</c> waits before answering.</param>
/// <param name="MemoryGrowthMbPerMinute">How fast the process takes and keeps resident memory, up to a cap.</param>
internal sealed record FaultSettings(double ErrorFraction, int AddedLatencyMs, double MemoryGrowthMbPerMinute)
{
    public static FaultSettings None { get; } = new(0, 0, 0);
}
