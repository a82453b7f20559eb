using System.Text.Json;
using System.Text.Json.Serialization;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>The JSON shape of manifests, WAL entries and bundle indexes: camelCase, enums as lower-case words, indented for people.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(WalEntry))]
[JsonSerializable(typeof(DumpManifest))]
[JsonSerializable(typeof(FileSetManifest))]
[JsonSerializable(typeof(SwapJournal))]
[JsonSerializable(typeof(ObjectStorage.BundleIndex))]
internal sealed partial class BackupJson : JsonSerializerContext
{
    public static byte[] Serialize<T>(T value)
        where T : class => JsonSerializer.SerializeToUtf8Bytes(value, typeof(T), Default);

    public static T? Deserialize<T>(byte[] json)
        where T : class => (T?)JsonSerializer.Deserialize(json, typeof(T), Default);
}
