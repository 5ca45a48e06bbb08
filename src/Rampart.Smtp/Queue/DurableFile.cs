using System.Runtime.InteropServices;

namespace Rampart.Smtp.Queue;

/// <summary>Writes that survive a crash or power loss: a temporary file is written and fsynced, renamed over the
/// target, and the directory is fsynced so the rename itself is on disk. A reader sees the old or the new content,
/// never half of it.</summary>
public static class DurableFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> atomically and durably.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, PrivateFile(FileMode.CreateNew)))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        FlushDirectory(directory);
    }

    /// <summary>Options for a new file only its owner can read: queued mail and envelopes are private.</summary>
    public static FileStreamOptions PrivateFile(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>fsync of a directory, so that a create, rename or delete in it survives a power loss. .NET cannot open
    /// a directory as a stream, so on Unix this calls open(2), fsync(2) and close(2); NTFS journals renames itself.</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // O_RDONLY (0) opens a directory on Linux and macOS; O_DIRECTORY is left out because its value differs by CPU.
        // A NUL-terminated UTF-8 path as a byte array: DllImport marshals it without unsafe code.
        var fd = Open([.. System.Text.Encoding.UTF8.GetBytes(directory), 0], 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
