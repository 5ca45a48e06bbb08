namespace Rampart.Imap.Rendering;

/// <summary>Octets produced while answering one FETCH item (decoded BINARY content, filtered header fields): kept in
/// memory up to <see cref="MaxInMemory"/>, then moved to a temporary file that is deleted on dispose, so a 50 MB
/// attachment never sits in memory.</summary>
internal sealed class SpoolBuffer : IAsyncDisposable, IDisposable
{
    /// <summary>Octets kept in memory before spilling to disk: 1 MiB, small enough for thousands of sessions.</summary>
    public const int MaxInMemory = 1024 * 1024;

    private MemoryStream? memory = new();
    private FileStream? file;

    public long Length { get; private set; }

    /// <summary>Whether a NUL octet was written (BINARY then needs a literal8, RFC 3516 §4.2).</summary>
    public bool ContainsNul { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!ContainsNul && data.Span.Contains((byte)0))
        {
            ContainsNul = true;
        }

        Length += data.Length;
        if (memory is not null && memory.Length + data.Length <= MaxInMemory)
        {
            memory.Write(data.Span);
            return;
        }

        if (file is null)
        {
            // Decoded attachments are the user's mail: the file is readable by the server's account only, and deleted
            // when the section is disposed.
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
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            file = new FileStream(Path.Combine(Path.GetTempPath(), "rampart-section-" + Guid.NewGuid().ToString("N")), options);
            if (memory is not null)
            {
                await file.WriteAsync(memory.GetBuffer().AsMemory(0, (int)memory.Length), cancellationToken);
                await memory.DisposeAsync();
                memory = null;
            }
        }

        await file.WriteAsync(data, cancellationToken);
    }

    public async Task CopyToAsync(Stream destination, long start, long count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return;
        }

        if (memory is not null)
        {
            await destination.WriteAsync(memory.GetBuffer().AsMemory((int)start, (int)count), cancellationToken);
            return;
        }

        await file!.FlushAsync(cancellationToken);
        file.Position = start;
        await StreamRange.CopyAsync(file, destination, count, cancellationToken);
    }

    public void Dispose()
    {
        memory?.Dispose();
        file?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (memory is not null)
        {
            await memory.DisposeAsync();
        }

        if (file is not null)
        {
            await file.DisposeAsync();
        }
    }
}
