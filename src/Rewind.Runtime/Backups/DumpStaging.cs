using Rewind.Core.Backups;

namespace Rewind.Runtime.Backups;

/// <summary>
/// Work directories PostgreSQL's programs write into or read from (<c>pg_dump -f</c>, <c>pg_restore</c>'s input):
/// created private and given to the user the programs run as; and a stored dump file read back into one, checked.
/// </summary>
internal static class DumpStaging
{
    public static void Create(string directory, PostgresToolOptions tools)
    {
        FileSystem.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (tools.Owner() is { } owner)
        {
            FileSystem.Chown(directory, owner);
        }
    }

    /// <summary>
    /// Reads <paramref name="file"/> of dump <paramref name="setId"/> back to its plain content at <paramref name="destination"/>
    /// (decrypted, decompressed, checked against size and SHA-256), owned by the tools' user. The error says why not.
    /// </summary>
    public static string? Extract(BackupRepository repository, string setId, ManifestFile file, string destination, PostgresToolOptions tools, CancellationToken cancellationToken)
    {
        try
        {
            (long Size, string Sha256) actual;
            using (var output = new FileStream(destination, FileSystem.NewFile(file.Size, UnixFileMode.UserRead | UnixFileMode.UserWrite)))
            {
                actual = StoredFile.Read(repository.Objects.OpenRead(BackupRepository.DataFolderOf(SetKind.Dump, setId), BackupRepository.StoredName(file.Path, file.Compression, file.Encrypted)), file.Compression, file.Encrypted, repository.Options.Key, output, cancellationToken);
            }

            if (actual.Size != file.Size || actual.Sha256 != file.Sha256)
            {
                return $"dump {setId}/{file.Path}: checksum mismatch: content is {actual.Size} bytes, sha256 {actual.Sha256}; the manifest says {file.Size} bytes, sha256 {file.Sha256}";
            }

            if (tools.Owner() is { } owner)
            {
                FileSystem.Chown(destination, owner);
            }

            return null;
        }
        catch (BackupIntegrityException ex)
        {
            return $"dump {setId}/{file.Path}: {ex.Message}";
        }
        catch (FileNotFoundException)
        {
            return $"dump {setId}/{file.Path}: the stored file is missing";
        }
    }

    /// <summary>Why the configured key cannot read a set written with <paramref name="keyId"/>, or <see langword="null"/> when it can.</summary>
    public static string? KeyProblem(BackupRepository repository, string subject, string? keyId) =>
        keyId is null || repository.Options.Key?.Id == keyId
            ? null
            : repository.Options.Key is { } key
                ? $"{subject} is encrypted with key {keyId}, but the given key is {key.Id}: wrong key"
                : $"{subject} is encrypted with key {keyId} and no key was given";
}
