using Microsoft.Extensions.Logging;
using Rampart.Net.Options;

namespace Rampart.Net.Tls;

/// <summary>
/// The server's certificates: the default one and those chosen by SNI, loaded from PEM files and reloaded when
/// the files change, or a generated self-signed certificate when none is configured.
/// </summary>
/// <remarks>
/// Reload: a file-system watcher triggers a check shortly after a change and a timer checks every
/// <see cref="TlsOptions.ReloadCheckInterval"/> in case a notification was missed. A new set is loaded whole;
/// if any file is bad, the old set stays in service and the error is logged. Connections already open keep the
/// certificate they negotiated.
/// </remarks>
public sealed class CertificateStore : IDisposable
{
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(300);
    private readonly ILogger _logger;
    private readonly (string Pattern, string CertificatePath, string KeyPath)[] _sources;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer? _timer;
    private readonly Lock _reloadLock = new();
    private volatile CertificateSet _current;
    private string _fingerprint;
    private bool _disposed;

    /// <summary>
    /// Loads the configured certificates, or generates (and later reuses) a self-signed one in
    /// <paramref name="generatedDirectory"/> when <see cref="TlsOptions.CertificatePath"/> is not set.
    /// </summary>
    /// <param name="options">Certificate paths and reload interval.</param>
    /// <param name="generatedDirectory">Where a generated certificate lives, e.g. <c>&lt;data&gt;/tls</c>.</param>
    /// <param name="hostName">Host name for a generated certificate (CN and SAN).</param>
    /// <param name="logger">Receives reload errors and the generated-certificate warning.</param>
    /// <exception cref="CertificateException">A configured file is missing or invalid.</exception>
    public CertificateStore(TlsOptions options, string generatedDirectory, string hostName, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        var sources = new List<(string, string, string)>();
        if (string.IsNullOrWhiteSpace(options.CertificatePath) != string.IsNullOrWhiteSpace(options.KeyPath))
        {
            throw new CertificateException("Tls:CertificatePath and Tls:KeyPath must be set together (or both left empty to use a generated certificate).");
        }

        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            var created = SelfSignedCertificate.EnsureExists(generatedDirectory, hostName, out var certificatePath, out var keyPath);
            IsGenerated = true;
            _logger.LogWarning(
                "No TLS certificate configured: {Action} self-signed certificate {Path}. Clients will warn until Tls:CertificatePath and Tls:KeyPath name a real one.",
                created ? "generated a" : "using the generated",
                certificatePath);
            sources.Add(("", certificatePath, keyPath));
        }
        else
        {
            sources.Add(("", options.CertificatePath, options.KeyPath!));
        }

        foreach (var sni in options.SniCertificates)
        {
            if (string.IsNullOrWhiteSpace(sni.HostName) || string.IsNullOrWhiteSpace(sni.CertificatePath) || string.IsNullOrWhiteSpace(sni.KeyPath))
            {
                throw new CertificateException("Each Tls:SniCertificates entry needs HostName, CertificatePath and KeyPath.");
            }

            sources.Add((sni.HostName.Trim().TrimEnd('.').ToLowerInvariant(), sni.CertificatePath, sni.KeyPath));
        }

        _sources = [.. sources];
        _fingerprint = Fingerprint();
        _current = LoadAll();
        Watch();
        if (options.ReloadCheckInterval > TimeSpan.Zero)
        {
            _timer = new Timer(_ => Reload(), null, options.ReloadCheckInterval, options.ReloadCheckInterval);
        }
    }

    /// <summary>True when the default certificate is the generated self-signed one.</summary>
    public bool IsGenerated { get; }

    /// <summary>The certificate served when no SNI entry matches.</summary>
    public SslCertificate Default => _current.Default;

    /// <summary>Raised after a successful reload.</summary>
    public event EventHandler? Reloaded;

    /// <summary>
    /// Picks the certificate for an SNI host name: an exact entry first, then a <c>*.domain</c> entry that matches
    /// exactly one leading label, then the default.
    /// </summary>
    public SslCertificate Select(string? serverName)
    {
        var set = _current;
        if (string.IsNullOrEmpty(serverName) || set.ByName.Count == 0)
        {
            return set.Default;
        }

        var name = serverName.TrimEnd('.').ToLowerInvariant();
        if (set.ByName.TryGetValue(name, out var exact))
        {
            return exact;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && set.ByName.TryGetValue("*" + name[dot..], out var wildcard))
        {
            return wildcard;
        }

        return set.Default;
    }

    /// <summary>Reloads now if any file changed. A bad file keeps the old certificates and is logged.</summary>
    /// <returns>True when new certificates were loaded.</returns>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return false;
            }

            var fingerprint = Fingerprint();
            if (fingerprint == _fingerprint)
            {
                return false;
            }

            // Remember the attempt even if it fails, so a bad file is reported once, not on every check.
            _fingerprint = fingerprint;
            CertificateSet loaded;
            try
            {
                loaded = LoadAll();
            }
            catch (CertificateException ex)
            {
                _logger.LogError("TLS certificate reload failed; the previous certificates stay in service: {Reason}", ex.Message);
                return false;
            }

            // The old set is not disposed: handshakes in flight may still use it; the GC reclaims it.
            _current = loaded;
            _logger.LogInformation("TLS certificates reloaded: {Subject}, valid until {NotAfter:u}", loaded.Default.Certificate.Subject, loaded.Default.Certificate.NotAfter.ToUniversalTime());
        }

        Reloaded?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
        }

        _timer?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }

    private CertificateSet LoadAll()
    {
        SslCertificate? fallback = null;
        var byName = new Dictionary<string, SslCertificate>(StringComparer.Ordinal);
        foreach (var (pattern, certificatePath, keyPath) in _sources)
        {
            var certificate = PemCertificateLoader.Load(certificatePath, keyPath);
            if (pattern.Length == 0)
            {
                fallback = certificate;
            }
            else
            {
                byName[pattern] = certificate;
            }
        }

        return new CertificateSet(fallback!, byName);
    }

    private string Fingerprint()
    {
        var parts = new List<string>();
        foreach (var (_, certificatePath, keyPath) in _sources)
        {
            foreach (var path in new[] { certificatePath, keyPath })
            {
                var info = new FileInfo(path);
                parts.Add(info.Exists ? $"{path}|{info.LastWriteTimeUtc.Ticks}|{info.Length}" : $"{path}|missing");
            }
        }

        return string.Join('\n', parts);
    }

    private void Watch()
    {
        var directories = _sources
            .SelectMany(s => new[] { s.CertificatePath, s.KeyPath })
            .Select(p => Path.GetDirectoryName(Path.GetFullPath(p))!)
            .Distinct(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            try
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
                };
                watcher.Changed += OnFileEvent;
                watcher.Created += OnFileEvent;
                watcher.Renamed += OnFileEvent;
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
            catch (IOException ex)
            {
                // inotify limits can be exhausted; the periodic check still works.
                _logger.LogWarning("Cannot watch {Directory} for certificate changes ({Reason}); relying on the periodic check.", directory, ex.Message);
            }
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        // A renewal writes several files; wait for the writes to settle, then check once.
        _ = Task.Delay(SettleDelay).ContinueWith(_ => Reload(), TaskScheduler.Default);
    }

    private sealed record CertificateSet(SslCertificate Default, Dictionary<string, SslCertificate> ByName);
}
