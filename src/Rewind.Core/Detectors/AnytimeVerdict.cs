namespace Rewind.Core.Detectors;

/// <summary>What an <see cref="AnytimeRegressionTest"/> concludes after the evidence so far.</summary>
public enum AnytimeVerdict
{
    /// <summary>No alarm: the release is watched on. Whether it may be promoted is a separate question, its clearance.</summary>
    Continue,

    /// <summary>The bad-event rate is above the baseline: one of the test's e-values reached its alarm level. Final.</summary>
    Regressed,
}
