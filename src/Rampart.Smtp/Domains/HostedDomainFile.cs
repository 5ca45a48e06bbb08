using System.Text.Json;

namespace Rampart.Smtp.Domains;

/// <summary>The hosted domains kept in <c>DATA/domains.json</c>, managed with <c>rampart domain add|list|remove</c>.
/// The file is replaced atomically (temporary file, fsync, rename), and every reader re-reads it when its
/// modification time or length changes, so a running server sees an added domain on its next lookup.</summary>
/// <remarks>Names are stored as lower-case A-labels (<see cref="DomainName.ToAscii"/>); lookups accept either form.
/// A domain is also hosted when <c>alsoHosted</c> says so (the server passes the domains of the accounts' addresses:
/// mail for them is delivered locally whether or not they were added here).</remarks>
public sealed class HostedDomainFile : IHostedDomains
{
    /// <summary>The file's name inside the data directory.</summary>
    public const string FileName = "domains.json";

    /// <summary>Upper bound on the file's size: a damaged or hostile file cannot make every lookup parse megabytes.
    /// 4 MiB holds well over 100,000 domains.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly Lock gate = new();
    private readonly IHostedDomains? alsoHosted;
    private Snapshot snapshot = new(DateTime.MinValue, -1, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Uses <c>DATA/domains.json</c>; the file need not exist yet (no domains).</summary>
    /// <param name="dataDirectory">The data directory.</param>
    /// <param name="alsoHosted">Domains hosted besides those in the file; null for none.</param>
    public HostedDomainFile(string dataDirectory, IHostedDomains? alsoHosted = null)
    {
        Path = System.IO.Path.Combine(dataDirectory, FileName);
        this.alsoHosted = alsoHosted;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public bool IsHosted(string domain)
    {
        if (!DomainName.TryToAscii(domain, out var ascii))
        {
            return false;
        }

        return Current().Contains(ascii) || (alsoHosted?.IsHosted(ascii) ?? false);
    }

    /// <summary>The hosted domains (A-labels), sorted.</summary>
    public IReadOnlyList<string> List() => [.. Current().Order(StringComparer.Ordinal)];

    /// <summary>Adds a domain; false when it was already hosted.</summary>
    /// <exception cref="FormatException">Not a valid domain name.</exception>
    public bool Add(string domain)
    {
        var ascii = DomainName.ToAscii(domain);
        return Update(set => set.Add(ascii));
    }

    /// <summary>Removes a domain; false when it was not hosted.</summary>
    /// <exception cref="FormatException">Not a valid domain name.</exception>
    public bool Remove(string domain)
    {
        var ascii = DomainName.ToAscii(domain);
        return Update(set => set.Remove(ascii));
    }

    private bool Update(Func<HashSet<string>, bool> change)
    {
        // One writer at a time across processes (two `rampart domain add` at once must not lose one): an exclusive lock file.
        using var lockFile = AcquireLock();
        var set = new HashSet<string>(Read(out _, out _), StringComparer.Ordinal);
        if (!change(set))
        {
            return false;
        }

        var document = new DomainDocument { Domains = [.. set.Order(StringComparer.Ordinal)] };
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        Queue.DurableFile.WriteAtomically(Path, JsonSerializer.SerializeToUtf8Bytes(document, Json));
        return true;
    }

    private FileStream AcquireLock()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    private HashSet<string> Current()
    {
        var info = new FileInfo(Path);
        var stamp = info.Exists ? info.LastWriteTimeUtc : DateTime.MinValue;
        var length = info.Exists ? info.Length : -1;
        var current = snapshot;
        if (current.Stamp == stamp && current.Length == length)
        {
            return current.Domains;
        }

        lock (gate)
        {
            var set = Read(out stamp, out length);
            snapshot = new Snapshot(stamp, length, set);
            return set;
        }
    }

    private HashSet<string> Read(out DateTime stamp, out long length)
    {
        var info = new FileInfo(Path);
        if (!info.Exists)
        {
            stamp = DateTime.MinValue;
            length = -1;
            return new HashSet<string>(StringComparer.Ordinal);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"{Path} is larger than {MaxFileBytes} bytes");
        }

        stamp = info.LastWriteTimeUtc;
        length = info.Length;
        DomainDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<DomainDocument>(File.ReadAllBytes(Path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path} is damaged: {e.Message}", e);
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in document?.Domains ?? [])
        {
            // A hand-edited file may hold U-labels or capitals; compare in one form.
            if (DomainName.TryToAscii(domain, out var ascii))
            {
                set.Add(ascii);
            }
        }

        return set;
    }

    private sealed record Snapshot(DateTime Stamp, long Length, HashSet<string> Domains);

    private sealed class DomainDocument
    {
        [System.Text.Json.Serialization.JsonPropertyName("domains")]
        public List<string> Domains { get; set; } = [];
    }
}
