using System.Text.Json;

namespace Rampart.Security.Guard;

/// <summary>
/// The ban list as a JSON file (by default <c>DATA/guard/bans.json</c>), shared by <c>rampart ban</c> and the running
/// server. Writes go to a temporary file that replaces the old one in one rename, under an exclusive lock file, so a
/// reader never sees half a list and two writers never lose each other's bans.
/// </summary>
public sealed class BanFile : IBanStore
{
    /// <summary>The largest ban file read (16 MiB, about 100 000 bans): a bound on what a damaged file can cost.</summary>
    public const long MaxFileBytes = 16 << 20;

    private readonly string _path;

    /// <summary>Uses the file at <paramref name="path"/>; its directory is created when missing.</summary>
    public BanFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
    }

    /// <summary>The file's path.</summary>
    public string FilePath => _path;

    /// <inheritdoc/>
    public long ChangeStamp
    {
        get
        {
            var info = new FileInfo(_path);
            return info.Exists ? info.LastWriteTimeUtc.Ticks ^ (info.Length << 40) : 0;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<BanEntry> Load() => Read();

    /// <inheritdoc/>
    public IReadOnlyList<BanEntry> Update(Action<List<BanEntry>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using var fileLock = AcquireLock();
        var list = Read();
        change(list);
        var temp = _path + "." + Environment.ProcessId + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, list, BanJsonContext.Default.ListBanEntry);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _path, overwrite: true);
        return list;
    }

    private List<BanEntry> Read()
    {
        try
        {
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > MaxFileBytes)
            {
                throw new InvalidDataException($"{_path} is larger than {MaxFileBytes} bytes");
            }

            return JsonSerializer.Deserialize(stream, BanJsonContext.Default.ListBanEntry) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{_path} is not a ban list: {e.Message}", e);
        }
    }

    private FileStream AcquireLock()
    {
        var lockPath = _path + ".lock";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 200)
            {
                // Another process writes the list right now; writes take milliseconds.
                Thread.Sleep(10);
            }
        }
    }
}
