using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rewind.Runtime.Releases;

/// <summary>
/// What one entry of a files copy was when it was taken: a file (with its checksum), a directory, absent, or a symbolic
/// link beneath a declared directory (with its target as written, never followed).
/// </summary>
public sealed record FileCopyEntry(string Path, string Kind, long Size = 0, string? Sha256 = null, int Mode = 0, string? Copy = null, string? Target = null)
{
    public const string File = "file";
    public const string Directory = "directory";
    public const string Absent = "absent";
    public const string Link = "link";
}

/// <summary>The manifest of a files copy (<c>manifest.json</c> beside <c>files/</c>): every declared path and every file and link under them.</summary>
public sealed record FileCopyManifest(string Label, DateTimeOffset TakenAt, IReadOnlyList<FileCopyEntry> Entries)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public IEnumerable<FileCopyEntry> Files => Entries.Where(e => e.Kind == FileCopyEntry.File);

    public IEnumerable<FileCopyEntry> Links => Entries.Where(e => e.Kind == FileCopyEntry.Link);

    /// <summary>Whether both copies hold the same paths with the same contents and modes (when they were taken does not matter).</summary>
    public bool SameContentAs(FileCopyManifest other) =>
        Entries.Count == other.Entries.Count
        && Entries.Zip(other.Entries).All(p => p.First.Path == p.Second.Path && p.First.Kind == p.Second.Kind && p.First.Sha256 == p.Second.Sha256 && p.First.Mode == p.Second.Mode && p.First.Target == p.Second.Target);

    public static FileCopyManifest? Read(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        return System.IO.File.Exists(path) ? JsonSerializer.Deserialize<FileCopyManifest>(System.IO.File.ReadAllText(path), Json) : null;
    }

    public void Write(string directory) =>
        System.IO.File.WriteAllText(System.IO.Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));
}
