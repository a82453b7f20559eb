namespace Rewind.Core.Configuration;

/// <summary>
/// Where the version actually serving is read, so that samples and traffic are charged to the release that produced
/// them and a deploy is seen when it happens, not when a pipeline records it. Exactly one source: the <c>current</c>
/// link of a release-dir, a JSON field of an HTTP probe's answer, a label of a scraped metric, or a command.
/// </summary>
public sealed class VersionSourceConfig
{
    /// <summary>Read the target of the release-dir provider's <c>current</c> link (<c>releases/&lt;version&gt;</c>).</summary>
    public bool ReleaseDir { get; set; }

    /// <summary>An HTTP probe of the component whose JSON answer carries the version (see <see cref="Field"/>).</summary>
    public string? Probe { get; set; }

    /// <summary>The dotted path of the version in the probe's JSON answer. Default <c>version</c>.</summary>
    public string Field { get; set; } = "version";

    /// <summary>A scrape of the component whose metric carries the version as a label (see <see cref="Metric"/>, <see cref="Label"/>).</summary>
    public string? Scrape { get; set; }

    /// <summary>The metric whose label is the version, e.g. <c>app_info</c>.</summary>
    public string? Metric { get; set; }

    /// <summary>The label of <see cref="Metric"/> holding the version. Default <c>version</c>.</summary>
    public string Label { get; set; } = "version";

    /// <summary>An argv whose first line of output is the version (a provider's CLI).</summary>
    public List<string>? Command { get; set; }

    /// <summary>How often the release-dir link or the command is read. Default 1s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What a serving version that differs from the recorded one means. Default <c>page</c>.</summary>
    public DriftMode OnDrift { get; set; } = DriftMode.Page;

    /// <summary>How many sources are set; exactly one is valid.</summary>
    public int KindCount => (ReleaseDir ? 1 : 0) + (Probe is null ? 0 : 1) + (Scrape is null ? 0 : 1) + (Command is null ? 0 : 1);

    /// <summary>The source in an operator's words, for evidence: "probe health field version".</summary>
    public string Describe() => this switch
    {
        { ReleaseDir: true } => "the release-dir current link",
        { Probe: { } probe } => $"probe {probe} field {Field}",
        { Scrape: { } scrape } => $"scrape {scrape} metric {Metric} label {Label}",
        { Command: { } command } => $"command [{string.Join(", ", command)}]",
        _ => "none",
    };
}

/// <summary>What Rewind does when the serving version is not the recorded one.</summary>
public enum DriftMode
{
    /// <summary>Opens an incident and pages; the unrecorded release is not judged, nor charged to the recorded one, until it is recorded.</summary>
    Page,

    /// <summary>Records the serving version as a deploy in progress (as <c>release record --deploying</c> would), then judges it like any deploy.</summary>
    Record,
}
