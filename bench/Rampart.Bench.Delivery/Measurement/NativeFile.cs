using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Rampart.Bench.Delivery.Measurement;

/// <summary>fsync(2) on a directory, which .NET has no managed API for: after creating or renaming a file, the
/// directory entry is only durable once the directory itself is synced (POSIX leaves it to the application).</summary>
internal static partial class NativeFile
{
    private const int ReadOnly = 0; // O_RDONLY
    private const int Directory = 0x10000; // O_DIRECTORY on Linux x86-64 and arm64

    /// <summary>Opens <paramref name="path"/> as a directory, fsyncs it and closes it.</summary>
    public static void SyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "open " + path);
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "fsync " + path);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
