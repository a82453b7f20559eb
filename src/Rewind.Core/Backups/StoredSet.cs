using System.Text.Json.Serialization;

namespace Rewind.Core.Backups;

/// <summary>The kinds of set a repository holds, each in its own directory.</summary>
public enum SetKind
{
    /// <summary>A physical base backup under <c>sets/</c>.</summary>
    [JsonStringEnumMemberName("base")]
    Base,

    /// <summary>A logical dump set under <c>dumps/</c>.</summary>
    [JsonStringEnumMemberName("dump")]
    Dump,

    /// <summary>A file backup set under <c>files/</c>.</summary>
    [JsonStringEnumMemberName("files")]
    Files,
}

/// <summary>One complete set of any kind, as retention and listings need it: which, when it finished, how big.</summary>
/// <param name="Kind">Where the set lives.</param>
/// <param name="SetId">Its id (a sortable UTC timestamp).</param>
/// <param name="Finished">When its last file was stored.</param>
/// <param name="Size">Plain bytes of its files.</param>
/// <param name="StoredSize">Bytes the repository holds for them.</param>
public sealed record StoredSet(SetKind Kind, string SetId, DateTimeOffset Finished, long Size, long StoredSize);
