using System.Runtime.InteropServices;

namespace Rewind.Runtime.Backups;

internal static partial class FileSystem
{
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>
    /// Whether <paramref name="path"/> itself (not a link's target) is a regular file, not a FIFO, socket or device, which
    /// .NET does not tell apart from files and which must never be opened by a backup (a FIFO blocks the reader).
    /// </summary>
    public static bool IsRegularFile(string path)
    {
        // struct stat: st_mode follows st_dev, st_ino (and st_nlink on x86-64); the generic layout (arm64) has it before st_nlink.
        var modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var buffer = new byte[256];
        if (Lstat(path, buffer) != 0)
        {
            throw Failure("lstat", path);
        }

        return (BitConverter.ToInt32(buffer, modeOffset) & TypeMask) == RegularFile;
    }

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lstat(string path, [Out] byte[] buffer);
}
