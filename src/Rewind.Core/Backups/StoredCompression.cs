using System.Text.Json.Serialization;

namespace Rewind.Core.Backups;

/// <summary>How a file's bytes are compressed in the repository (before encryption, when encrypted).</summary>
public enum StoredCompression
{
    /// <summary>Stored as is: the fastest restore when the disk is not the bottleneck.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>gzip (deflate), readable with <c>gunzip</c> when the file is not encrypted.</summary>
    [JsonStringEnumMemberName("gzip")]
    Gzip,
}
