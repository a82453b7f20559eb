using System.IO.Compression;
using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>How new files are stored: compression, its level, and the key when they are encrypted.</summary>
internal sealed record StorageSettings(StoredCompression Compression, CompressionLevel Level, BackupKey? Key);

/// <summary>The plain size and SHA-256 of a file's content, and how many bytes the repository holds for it.</summary>
internal readonly record struct StoredFacts(long Size, string Sha256, long StoredSize);
