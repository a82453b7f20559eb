namespace Rewind.Core.Signals;

/// <summary>
/// Why a probe run was not measured: the controller itself was behind, so the run says nothing about what it probes.
/// Such a run makes no sample and moves no policy; it counts toward the controller's own overload.
/// </summary>
public enum NotMeasuredReason
{
    /// <summary>The run could not start within the allowed lateness of its time (every slot busy, or the controller late): skipped.</summary>
    Late,

    /// <summary>The run timed out while the controller was behind (other runs skipped meanwhile, or its own timers late).</summary>
    Behind,
}

/// <summary>The words of <see cref="NotMeasuredReason"/> in metrics and answers.</summary>
public static class NotMeasuredReasons
{
    public static IReadOnlyList<NotMeasuredReason> All { get; } = [NotMeasuredReason.Late, NotMeasuredReason.Behind];

    /// <summary>The metric label: <c>late</c> or <c>behind</c>.</summary>
    public static string Label(NotMeasuredReason reason) => reason == NotMeasuredReason.Late ? "late" : "behind";
}
