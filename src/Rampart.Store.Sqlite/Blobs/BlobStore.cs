using System.Buffers;
using System.Security.Cryptography;

namespace Rampart.Store.Sqlite.Blobs;

/// <summary>A blob written to its content address: lower-case hex SHA-256, exact size, and the size with CRLF line
/// ends (<see cref="Rampart.Store.Mime.WireSizeCounter"/>).</summary>
internal sealed record StoredBlob(string Hash, long Size, string Path, long WireSize);

/// <summary>Immutable message bodies under <c>blobs/</c>, content-addressed by SHA-256 (<c>blobs/ab/cd/abcd…</c>), so a
/// message delivered to many recipients is stored once. Writes stream through <c>blobs/tmp/</c>; a blob is durable
/// (file and directory fsynced) before any metadata refers to it, so a crash leaves at worst an orphan, which
/// <see cref="Sweep"/> removes.</summary>
internal sealed class BlobStore
{
    private const int BufferSize = 81920;

    private readonly bool durable;

    public BlobStore(string dataDirectory, bool durable)
    {
        Root = Path.Combine(dataDirectory, "blobs");
        TempDirectory = Path.Combine(Root, "tmp");
        this.durable = durable;
        Directory.CreateDirectory(TempDirectory);
    }

    public string Root { get; }

    public string TempDirectory { get; }

    public static bool IsHash(string hash) =>
        hash.Length == 64 && hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public string PathOf(string hash) => Path.Combine(Root, hash[..2], hash[2..4], hash);

    /// <summary>Streams <paramref name="source"/> to a temporary file while hashing and counting it, never holding the
    /// message in memory; over <paramref name="maxSize"/> fails with TooBig and removes the file. Then fsyncs, renames
    /// to the content address (dropping the copy if that blob exists) and fsyncs the directory.</summary>
    public async Task<StoredBlob> WriteAsync(Stream source, long maxSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var temp = Path.Combine(TempDirectory, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            var wire = new Rampart.Store.Mime.WireSizeCounter();
            await using (var file = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            }))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > maxSize)
                    {
                        throw new StoreException(StoreError.TooBig, $"The message is larger than {maxSize} octets.");
                    }

                    hash.AppendData(buffer, 0, read);
                    wire.Add(buffer.AsSpan(0, read));
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                if (durable)
                {
                    file.Flush(flushToDisk: true);
                }
            }

            var hex = Convert.ToHexStringLower(hash.GetHashAndReset());
            var final = PathOf(hex);
            var dir = Path.GetDirectoryName(final)!;
            Directory.CreateDirectory(dir);
            if (File.Exists(final))
            {
                // Same content already stored: keep one copy. Touch it so a concurrent sweep's grace period
                // protects it until this delivery commits.
                File.Delete(temp);
                File.SetLastWriteTimeUtc(final, DateTime.UtcNow);
            }
            else
            {
                File.Move(temp, final, overwrite: true);
                if (durable)
                {
                    DirectorySync.Flush(dir);
                    DirectorySync.Flush(Path.GetDirectoryName(dir)!);
                    DirectorySync.Flush(Root);
                }
            }

            return new StoredBlob(hex, size, final, wire.Total);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Opens a blob for reading, seekable.</summary>
    public FileStream Open(string hash) =>
        new(PathOf(hash), new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.RandomAccess,
        });

    /// <summary>Deletes temporary files and blobs not in <paramref name="referenced"/> whose last write is older than
    /// <paramref name="grace"/>. The grace period protects work of another process that has written a blob but not
    /// committed the metadata referring to it yet.</summary>
    /// <returns>The number of files deleted.</returns>
    public int Sweep(IReadOnlySet<string> referenced, TimeSpan grace, CancellationToken cancellationToken)
    {
        var cutoff = DateTime.UtcNow - grace;
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(TempDirectory))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff && TryDelete(file))
            {
                deleted++;
            }
        }

        foreach (var level1 in Directory.EnumerateDirectories(Root))
        {
            if (Path.GetFileName(level1) == "tmp")
            {
                continue;
            }

            foreach (var level2 in Directory.EnumerateDirectories(level1))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var file in Directory.EnumerateFiles(level2))
                {
                    var name = Path.GetFileName(file);
                    if (IsHash(name) && !referenced.Contains(name) && File.GetLastWriteTimeUtc(file) < cutoff && TryDelete(file))
                    {
                        deleted++;
                    }
                }
            }
        }

        return deleted;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
