using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace Rampart.Store.Sqlite.Blobs;

/// <summary>A blob written to its content address: lower-case hex SHA-256, exact size, and the size with CRLF line
/// ends (<see cref="Rampart.Store.Mime.WireSizeCounter"/>).</summary>
internal sealed record StoredBlob(string Hash, long Size, string Path, long WireSize)
{
    /// <summary>Completes when the blob's content and its directory entry are durable (at once when the store is not
    /// durable, or the blob was already known durable); faults when an fsync failed. Metadata that names the blob is
    /// committed only after it (<see cref="Accounts.AccountDatabase.WriteAsync{T}"/>).</summary>
    public Task Durable { get; init; } = Task.CompletedTask;
}

/// <summary>Immutable message bodies under <c>blobs/</c>, content-addressed by SHA-256 (<c>blobs/ab/cd/abcd…</c>), so a
/// message delivered to many recipients is stored once. Writes stream through <c>blobs/tmp/</c>; a blob is durable
/// (file and directory fsynced) before any metadata refers to it, so a crash leaves at worst an orphan, which
/// <see cref="Sweep"/> removes.</summary>
/// <remarks>The fsyncs are most of the cost of a delivery, so each one is spent only where durability needs it, and off
/// the thread pool (<see cref="FsyncThreads"/>): a new blob is renamed to its address as soon as its hash is known, and
/// the fsync of the file and that of its directory then run side by side while the caller goes on (parsing, the
/// account writer's insert); only the commit that names the blob waits for them (<see cref="StoredBlob.Durable"/>),
/// and only for its own blob. The directories above the blob's own are fsynced only until their entries are known
/// durable; a copy of a blob this process made durable costs no fsync at all. Because a name may now reach the disk
/// before its content, a blob found at its address that this process has not made durable (written by another
/// process, or left by a crash) is read back and checked against its address before anything refers to it, and
/// replaced by the copy in hand when it does not match.</remarks>
internal sealed class BlobStore
{
    private const int BufferSize = 81920;

    /// <summary>Most content addresses remembered as made durable by this process. Each costs about 100 bytes;
    /// past the bound the memory is cleared, which only costs the next copies of those blobs two fsyncs each.</summary>
    private const int MaxRememberedBlobs = 16_384;

    private readonly bool durable;

    /// <summary>The 256 first-level directories (<c>ab</c>), by their 8-bit name: 1 once the directory's entry in
    /// <see cref="Root"/> is known durable.</summary>
    private readonly int[] durableLevel1 = new int[256];

    /// <summary>The 65,536 second-level directories (<c>ab/cd</c>), by their 16-bit name: 1 once the directory's
    /// entry in its parent is known durable, so publishing into it fsyncs only that directory.</summary>
    private readonly int[] durableLevel2 = new int[65_536];

    /// <summary>Blobs this process fsynced (file and directory entry), or found and fsynced: another copy of one of
    /// them needs no fsync at all.</summary>
    private readonly ConcurrentDictionary<string, byte> durableBlobs = new(StringComparer.Ordinal);

    /// <summary>Blobs whose fsyncs are running, by hash: another copy of the same content waits for the same task.</summary>
    private readonly ConcurrentDictionary<string, Task> inflight = new(StringComparer.Ordinal);

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
    /// message in memory; over <paramref name="maxSize"/> fails with TooBig and removes the file. A new blob is then
    /// renamed to its content address and its fsyncs started; a copy of a stored blob is dropped, and the stored one
    /// made durable unless this process already did. A commit that names the blob must wait for
    /// <see cref="StoredBlob.Durable"/> first.</summary>
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
            // Written synchronously: a write into the page cache takes microseconds, and an asynchronous file write
            // on Linux is that same write moved to another pool thread, a hand-off per chunk on every delivery.
            var file = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
            });
            string hex;
            await using (file.ConfigureAwait(false))
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
                    file.Write(buffer, 0, read);
                }

                hex = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var final = PathOf(hex);
            var durability = durable ? Place(hex, size, temp, final) : PlaceUnsynced(temp, final);
            return new StoredBlob(hex, size, final, wire.Total) { Durable = durability };
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
                        durableBlobs.TryRemove(name, out _);
                        deleted++;
                    }
                }
            }
        }

        return deleted;
    }

    /// <summary>The first <paramref name="digits"/> hex digits of a hash as a number (2: <c>ab</c>, 4: <c>ab/cd</c>).</summary>
    private static int Prefix(string hash, int digits) => int.Parse(hash.AsSpan(0, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private static void SyncFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Puts a new blob at its address (durable store) and returns the task that makes it durable.</summary>
    private Task Place(string hash, long size, string temp, string final)
    {
        var running = inflight.GetValueOrDefault(hash);
        if ((running is not null || durableBlobs.ContainsKey(hash)) && File.Exists(final))
        {
            // Same content already stored by this process: keep one copy. Touch it so a concurrent sweep's grace
            // period protects it until this delivery commits.
            File.Delete(temp);
            File.SetLastWriteTimeUtc(final, DateTime.UtcNow);
            return running ?? Task.CompletedTask;
        }

        if (!File.Exists(final))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            try
            {
                File.Move(temp, final, overwrite: false);
                var content = FsyncThreads.Shared.Run(() => SyncFile(final));
                var entry = SyncEntryAsync(hash);
                return Track(hash, Task.WhenAll(content, entry));
            }
            catch (IOException) when (File.Exists(final))
            {
                // Another writer of the same content got there first: adopt its blob below.
            }
        }

        return Track(hash, AdoptAsync(hash, size, temp, final));
    }

    /// <summary>Without durability: rename or drop the copy, nothing to wait for.</summary>
    private static Task PlaceUnsynced(string temp, string final)
    {
        if (File.Exists(final))
        {
            File.Delete(temp);
            File.SetLastWriteTimeUtc(final, DateTime.UtcNow);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final, overwrite: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>A blob found at its address that this process has not made durable: another process may have renamed
    /// it without its fsyncs done yet, or a crash may have kept its name and lost its content. Keeps it when its size
    /// and hash match the address (and touches it against the sweep), else replaces it with the copy in hand; then
    /// fsyncs it and its entry as if it had been written here.</summary>
    private async Task AdoptAsync(string hash, long size, string temp, string final)
    {
        await FsyncThreads.Shared.Run(() =>
        {
            if (Holds(final, hash, size))
            {
                File.Delete(temp);
                File.SetLastWriteTimeUtc(final, DateTime.UtcNow);
            }
            else
            {
                File.Move(temp, final, overwrite: true);
            }

            SyncFile(final);
        }).ConfigureAwait(false);
        await SyncEntryAsync(hash).ConfigureAwait(false);
    }

    private static bool Holds(string path, string hash, long size)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            return file.Length == size && Convert.ToHexStringLower(SHA256.HashData(file)) == hash;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Remembers <paramref name="hash"/> as in flight until <paramref name="sync"/> ends, then as durable
    /// when it succeeded.</summary>
    private Task Track(string hash, Task sync)
    {
        inflight[hash] = sync;
        _ = sync.ContinueWith(
            t =>
            {
                inflight.TryRemove(new KeyValuePair<string, Task>(hash, sync));
                if (t.IsCompletedSuccessfully)
                {
                    if (durableBlobs.Count >= MaxRememberedBlobs)
                    {
                        durableBlobs.Clear();
                    }

                    durableBlobs.TryAdd(hash, 0);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return sync;
    }

    /// <summary>Makes a blob's directory entry durable: the fsync of its directory, and of the directories above it
    /// whose new entries are not known durable yet (a level this process created, or found at start), side by side on
    /// the fsync threads (a new blob usually lands in a new second-level directory); each level is remembered as
    /// durable once the fsyncs it depends on have succeeded.</summary>
    private Task SyncEntryAsync(string hash)
    {
        var level2 = Path.GetDirectoryName(PathOf(hash))!;
        var own = FsyncThreads.Shared.Run(() => DirectorySync.Flush(level2));
        var level2Index = Prefix(hash, 4);
        if (Volatile.Read(ref durableLevel2[level2Index]) != 0)
        {
            return own;
        }

        var level1Index = Prefix(hash, 2);
        var parent = FsyncThreads.Shared.Run(() => DirectorySync.Flush(Path.GetDirectoryName(level2)!));
        var root = Volatile.Read(ref durableLevel1[level1Index]) == 0 ? FsyncThreads.Shared.Run(() => DirectorySync.Flush(Root)) : Task.CompletedTask;
        var above = Task.WhenAll(parent, root).ContinueWith(
            t =>
            {
                t.GetAwaiter().GetResult();
                Volatile.Write(ref durableLevel1[level1Index], 1);
                Volatile.Write(ref durableLevel2[level2Index], 1);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return Task.WhenAll(own, above);
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
