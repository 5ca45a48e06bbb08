using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Rampart.Smtp.Dkim;

/// <summary>Per-domain DKIM signing keys in the data directory: <c>&lt;data&gt;/dkim/&lt;domain&gt;/&lt;selector&gt;.pem</c>,
/// PKCS#8 PEM, mode 0600 in 0700 folders. A domain may hold several selectors; the oldest key file signs, so a new key
/// can be created and its record published before anything is signed with it (rotate by deleting the old file
/// once the new record is in DNS).</summary>
public sealed partial class DkimKeyring
{
    /// <summary>RSA key size. 2048 bits: RFC 8301 §3.2 requires at least 1024 and recommends 2048; larger keys exceed
    /// what many DNS providers accept in one TXT record.</summary>
    public const int RsaKeyBits = 2048;

    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <param name="dataDirectory">Rampart's data directory; keys live in its <c>dkim</c> folder.</param>
    public DkimKeyring(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Root = Path.Combine(Path.GetFullPath(dataDirectory), "dkim");
    }

    /// <summary>The folder holding one sub-folder per domain.</summary>
    public string Root { get; }

    /// <summary>A selector for a new key: <c>rampartYYYYMM</c>, so each rotation gets a fresh name.</summary>
    public static string DefaultSelector(DateTimeOffset now) => $"rampart{now.UtcDateTime:yyyyMM}";

    /// <summary>Generates and stores a new key.</summary>
    /// <exception cref="IOException">A key with this selector exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="ArgumentException">The domain or selector is not a valid DNS label sequence.</exception>
    public DkimKey Create(string domain, string selector, DkimKeyAlgorithm algorithm = DkimKeyAlgorithm.Rsa, bool overwrite = false)
    {
        domain = NormalizeName(domain, nameof(domain), requireDot: true);
        selector = NormalizeName(selector, nameof(selector), requireDot: false);
        var folder = Path.Combine(Root, domain);
        CreateDirectory(Root);
        CreateDirectory(folder);
        var path = Path.Combine(folder, selector + ".pem");
        if (!overwrite && File.Exists(path))
        {
            throw new IOException($"a DKIM key for {selector}._domainkey.{domain} exists already ({path})");
        }

        var pem = algorithm == DkimKeyAlgorithm.Ed25519 ? NewEd25519Pem() : NewRsaPem();

        // Written under a temporary name with 0600 from the start, then renamed: the key is never readable by others
        // and never half-written at its final path.
        var temporary = path + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = System.IO.FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = FileMode0600;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, fileOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite);
        return Load(domain, selector, path);
    }

    /// <summary>Every stored key, by domain then selector.</summary>
    public IReadOnlyList<DkimKey> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(Root)
            .OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.pem").OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => Load(Path.GetFileName(d), Path.GetFileNameWithoutExtension(f), f)))];
    }

    /// <summary>The key that signs for <paramref name="domain"/>: the oldest key file of that domain; null when none.</summary>
    public DkimKey? Find(string domain)
    {
        string name;
        try
        {
            name = NormalizeName(domain, nameof(domain), requireDot: true);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var folder = Path.Combine(Root, name);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var oldest = Directory.EnumerateFiles(folder, "*.pem")
            .OrderBy(File.GetLastWriteTimeUtc)
            .ThenBy(f => f, StringComparer.Ordinal)
            .FirstOrDefault();
        return oldest is null ? null : Load(name, Path.GetFileNameWithoutExtension(oldest), oldest);
    }

    private static DkimKey Load(string domain, string selector, string path)
    {
        var text = File.ReadAllText(path);
        var fields = PemEncoding.Find(text);
        var der = Convert.FromBase64String(text[fields.Base64Data]);
        return new DkimKey(domain, selector, path, PrivateKeyFactory.CreateKey(der));
    }

    private static string NewRsaPem()
    {
        using var rsa = RSA.Create(RsaKeyBits);
        return rsa.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private static string NewEd25519Pem()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var der = PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetDerEncoded();
        return new string(PemEncoding.Write("PRIVATE KEY", der)) + "\n";
    }

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode0700);
        }
    }

    // Domain and selector become path segments: only DNS labels (letters, digits, hyphens; underscores in selectors
    // are not allowed either) so no "..", slash or other surprise reaches the file system.
    private static string NormalizeName(string name, string parameter, bool requireDot)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        var lower = name.Trim().TrimEnd('.').ToLowerInvariant();
        if (lower.Length is 0 or > 253 || !Labels().IsMatch(lower) || (requireDot && !lower.Contains('.', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"'{name}' is not a valid {(requireDot ? "domain" : "selector")}", parameter);
        }

        return lower;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex Labels();
}
