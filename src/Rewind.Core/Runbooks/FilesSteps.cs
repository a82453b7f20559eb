using System.Text.Json.Serialization;

namespace Rewind.Core.Runbooks;

/// <summary>
/// Restores the configuration files of the target release from the copy recorded with it: the copy is checked first
/// (every entry one of <see cref="Paths"/> or beneath a declared directory, reached without a symbolic link, every file
/// whole), the current files are kept in <see cref="UndoDirectory"/>, then each file is replaced with one atomic rename.
/// Idempotent: a re-run keeps the first undo copy and replaces only files that still differ.
/// </summary>
public sealed record FilesRestoreStep(string Store, IReadOnlyList<string> Paths, string TargetVersion, string? FromVersion) : PlanStep
{
    public const string KindName = "files";

    [JsonIgnore]
    public override string Kind => KindName;

    [JsonIgnore]
    public override bool IsSwitch => true;

    /// <summary>The recorded copy restored: <c>store/releases/&lt;version&gt;</c>.</summary>
    [JsonIgnore]
    public string CopyDirectory => FilesLayout.Release(Store, TargetVersion);

    /// <summary>Where the files replaced are kept, per rollback: <c>store/undo/&lt;rollback&gt;</c>.</summary>
    public static string UndoDirectory(string store, string rollbackId) => Path.Combine(store, "undo", rollbackId);

    public override string Describe() =>
        $"restore files [{string.Join(", ", Paths)}] from {CopyDirectory} (copy of {TargetVersion}, checked against its manifest first; "
        + $"was {FromVersion ?? "unknown"}): touches only these paths and what lies beneath them, following no symbolic link (a copy naming anything else is refused as corrupt); "
        + $"the current files kept in {Path.Combine(Store, "undo")}/<rollback>, then each file replaced by one atomic rename";
}

/// <summary>
/// Keeps the copy of a <c>files</c> component's <see cref="Paths"/> that release <see cref="Version"/> stands for, in
/// <see cref="Store"/>: run by the agent of the component's host when the release is recorded. Never part of a plan.
/// </summary>
public sealed record FilesKeepStep(string Component, string Store, IReadOnlyList<string> Paths, string Version, bool Stable) : PlanStep
{
    public const string KindName = "files-keep";

    [JsonIgnore]
    public override string Kind => KindName;

    public override string Describe() =>
        $"keep a copy of {Component}'s files [{string.Join(", ", Paths)}] for release {Version} in {FilesLayout.Release(Store, Version)}";
}

/// <summary>Where a files provider keeps its copies.</summary>
public static class FilesLayout
{
    public static string Release(string store, string version) => Path.Combine(store, "releases", version);
}

/// <summary>
/// A snapshot of a backed-up PostgreSQL component before a destructive step: a restore point named after the rollback
/// and step (<c>rewind-snapshot-RB-…-N</c>), or a base backup. Either way a point-in-time restore can go back to it.
/// </summary>
public sealed record SnapshotStep(string Component, string SnapshotKind, string? Label = null) : PlanStep
{
    public const string KindName = "snapshot";

    [JsonIgnore]
    public override string Kind => KindName;

    public static string RestorePointName(string rollbackId, int stepIndex) =>
        $"rewind-snapshot-{rollbackId}-{(stepIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public override string Describe() =>
        $"{(Label is null ? "" : Label + ": ")}snapshot of {Component}: "
        + (SnapshotKind == "base-backup" ? "a base backup into its repository" : "restore point rewind-snapshot-<rollback>-<step> in its archived WAL");
}
