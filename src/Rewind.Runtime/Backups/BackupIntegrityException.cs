namespace Rewind.Runtime.Backups;

/// <summary>
/// A stored file failed a check while being read: its content is corrupt or was tampered with, or it was written with
/// another key (<see cref="WrongKey"/>). Verification and restore turn it into a finding or a failed result.
/// </summary>
public sealed class BackupIntegrityException : IOException
{
    public BackupIntegrityException()
    {
    }

    public BackupIntegrityException(string message)
        : base(message)
    {
    }

    public BackupIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BackupIntegrityException(string message, bool wrongKey)
        : base(message) => WrongKey = wrongKey;

    /// <summary>The file is intact but was encrypted with a different key (or is encrypted and no key was given).</summary>
    public bool WrongKey { get; }
}
