using System.Runtime.InteropServices;

namespace Rewind.Runtime.Backups;

/// <summary>The few POSIX calls .NET does not expose: fsync of a directory (so a rename survives a crash) and chown.</summary>
internal static partial class FileSystem
{
    /// <summary>Makes the entries of <paramref name="directory"/> (new names, renames) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        var fd = Open(directory, 0, 0);
        if (fd < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Removes a work directory and everything in it, if it exists.</summary>
    public static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically: temp file, fsync, rename, fsync of the directory.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = TemporaryBeside(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncDirectory(directory);
    }

    /// <summary>A hidden, unique name in the same directory (so the final rename is atomic), never taken for a complete file.</summary>
    public static string TemporaryBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{Guid.NewGuid():N}");

    public static bool IsTemporary(string name) => name.StartsWith('.') && name.Contains(".tmp-", StringComparison.Ordinal);

    /// <summary>Creates a directory with <paramref name="mode"/> (minus the umask). Rewind's backup engine runs on Linux only.</summary>
    public static void CreateDirectory(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }

        Directory.CreateDirectory(path, mode);
    }

    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }

        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Options for a new file of <paramref name="size"/> bytes with <paramref name="mode"/>, preallocated, written in large blocks.</summary>
    public static FileStreamOptions NewFile(long size, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }

        return new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = StoredFile.BufferSize,
            PreallocationSize = size,
            UnixCreateMode = mode,
        };
    }

    /// <summary>Gives <paramref name="path"/> (not a symlink's target) to <paramref name="owner"/>.</summary>
    public static void Chown(string path, UnixOwner owner)
    {
        if (Lchown(path, owner.Uid, owner.Gid) != 0)
        {
            throw Failure("chown", path);
        }
    }

    /// <summary>The uid and gid of a system user, or <see langword="null"/> when there is no such user.</summary>
    public static UnixOwner? LookUpUser(string name)
    {
        var entry = GetPwNam(name);
        // struct passwd on 64-bit Linux: char *pw_name, char *pw_passwd, uid_t pw_uid, gid_t pw_gid, ...
        return entry == IntPtr.Zero ? null : new UnixOwner((uint)Marshal.ReadInt32(entry, 16), (uint)Marshal.ReadInt32(entry, 20));
    }

    public static bool IsRoot => GetEuid() == 0;

    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lchown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetPwNam(string name);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}

/// <summary>A Unix user and group id pair.</summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct UnixOwner(uint Uid, uint Gid);
