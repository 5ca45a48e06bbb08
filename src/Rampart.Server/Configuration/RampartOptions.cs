using Rampart.Net.Options;

namespace Rampart.Server.Configuration;

/// <summary>The configuration file's root (<c>rampart.json</c> in the data directory, or <c>--config FILE</c>),
/// overridden by environment variables in the standard .NET form: <c>RAMPART__Listeners__imaps__Endpoint</c>.
/// Every setting is described in docs/configuration.md with its default and why.</summary>
public sealed class RampartOptions
{
    /// <summary>Host name used in greetings, the generated certificate and the quickstart lines. Default: the machine's name.</summary>
    public string? HostName { get; set; }

    /// <summary>Listeners by name (see <see cref="ListenerCatalog"/>); unnamed ones keep their defaults.</summary>
    public Dictionary<string, ListenerOptions> Listeners { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Certificates and the handshake timeout (the protocol versions and suites are fixed).</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>Global IP allow/deny lists and trusted PROXY v2 peers.</summary>
    public AccessOptions Access { get; set; } = new();

    /// <summary>Connection and input limits.</summary>
    public ConnectionLimitOptions Limits { get; set; } = new();

    /// <summary>Store settings.</summary>
    public StoreSettings Store { get; set; } = new();
}

/// <summary>Store settings for the embedded backend.</summary>
public sealed class StoreSettings
{
    /// <summary>Largest message accepted by delivery and APPEND, in octets (SECURITY.md: 50 MB).</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>The quota of accounts without their own (<c>rampart user quota</c>). Default unlimited.</summary>
    public QuotaSettings Quota { get; set; } = new();
}

/// <summary>The server's default quota (RFC 9208 §5), per resource; an account's own setting overrides it.</summary>
public sealed class QuotaSettings
{
    /// <summary>Storage limit: KiB, or with a K/M/G/T suffix (<c>500M</c>), or <c>unlimited</c> (the default).</summary>
    public string Storage { get; set; } = "unlimited";

    /// <summary>Most messages per account; null (the default) for no limit.</summary>
    public long? Messages { get; set; }
}
