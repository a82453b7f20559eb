using System.Text.Json.Serialization;

namespace Rewind.Core.Runbooks;

/// <summary>
/// Restores the configuration files of the target release from the copy recorded with it: the copy is checked first,
/// the current files are kept in <see cref="UndoDirectory"/>, then each file is replaced with one atomic rename.
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
        + $"was {FromVersion ?? "unknown"}): the current files kept in {Path.Combine(Store, "undo")}/<rollback>, then each file replaced by one atomic rename";
}

/// <summary>Where a files provider keeps its copies.</summary>
public static class FilesLayout
{
    public static string Release(string store, string version) => Path.Combine(store, "releases", version);
}
