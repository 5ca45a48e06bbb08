namespace Rampart.Smtp.Delivery;

/// <summary>A message body on its way in: a temporary file in the spool directory, deleted when disposed, so that a
/// message is never held whole in memory (STYLE.md) and a dropped connection leaves nothing behind.</summary>
public sealed class MessageSpool : IAsyncDisposable
{
    private MessageSpool(FileStream stream) => Stream = stream;

    /// <summary>The file: written while the message arrives, then read from position 0 for delivery.</summary>
    public FileStream Stream { get; }

    /// <summary>Creates an empty spool file in <paramref name="directory"/>.</summary>
    public static MessageSpool Create(string directory)
    {
        var path = Path.Combine(directory, "smtp-" + Guid.NewGuid().ToString("N") + ".tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 64 * 1024,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Mail is private: readable by the server's user only.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        return new MessageSpool(stream);
    }

    /// <summary>Deletes spool files a killed process left behind (its sessions' messages were never acknowledged).
    /// Call before the first session starts.</summary>
    public static void DeleteLeftovers(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "smtp-*.tmp"))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
