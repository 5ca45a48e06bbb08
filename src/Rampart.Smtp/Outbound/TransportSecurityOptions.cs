using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Rampart.Smtp.Outbound;

/// <summary>How outbound delivery decides that TLS to a remote MX is mandatory and authenticated: MTA-STS (RFC 8461)
/// and DANE (RFC 7672). Keys <c>Smtp:Outbound:MtaSts</c>, <c>Smtp:Outbound:MtaStsPort</c>,
/// <c>Smtp:Outbound:MtaStsFetchTimeout</c>, <c>Smtp:Outbound:TrustedCaFile</c>, <c>Smtp:Outbound:Dane</c> and
/// <c>Smtp:Dns:Validating</c>.</summary>
public sealed class TransportSecurityOptions
{
    /// <summary>The largest policy file fetched, in octets: 64 KiB. RFC 8461 §3.3 asks senders to limit the size they
    /// accept; real policies are a few hundred octets, and a hostile server cannot make the worker buffer more.</summary>
    public const int MaxPolicySize = 64 * 1024;

    /// <summary>Whether MTA-STS policies are looked up and honoured. Default true: a domain that publishes none is
    /// unaffected, and one that does asked for it.</summary>
    public bool MtaSts { get; set; } = true;

    /// <summary>The TCP port the policy is fetched from. Default 443, the only port RFC 8461 §3.3 allows; a different
    /// value is for tests and private setups only (the URL and the certificate name stay
    /// <c>https://mta-sts.DOMAIN/</c>).</summary>
    public int MtaStsPort { get; set; } = 443;

    /// <summary>How long a policy fetch may take, connection included. Default 30 s: RFC 8461 §3.3 asks for a timeout;
    /// the fetch holds one delivery, so a slow server must not hold it for minutes.</summary>
    public TimeSpan MtaStsFetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A PEM file of extra trust anchors, trusted besides the system store for MTA-STS policy hosts and MX
    /// certificates (private setups, tests). Default none.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>True when the resolvers in <c>Smtp:Dns:Servers</c> validate DNSSEC and are reached over a path nobody
    /// can tamper with (a local resolver): then their AD bit is believed. Default false.</summary>
    public bool DnsValidating { get; set; }

    /// <summary>Whether DANE TLSA records are looked up and enforced. Default: <see cref="DnsValidating"/>, since
    /// without a validating resolver an AD bit means nothing.</summary>
    public bool? Dane { get; set; }

    /// <summary>DANE in effect: <see cref="Dane"/> when set, else <see cref="DnsValidating"/>.</summary>
    public bool DaneEnabled => Dane ?? DnsValidating;

    /// <summary>Where MTA-STS policies are cached (a file per domain); normally <c>DATA/mta-sts</c>, set by the
    /// delivery worker. Null: policies are kept in memory only.</summary>
    public string? PolicyDirectory { get; set; }

    /// <summary>Binds the keys named in the summary from <paramref name="smtp"/> (the <c>Smtp</c> section).</summary>
    /// <exception cref="FormatException">A value is invalid; the message names the key.</exception>
    public static TransportSecurityOptions Bind(IConfiguration smtp)
    {
        ArgumentNullException.ThrowIfNull(smtp);
        var outbound = smtp.GetSection("Outbound");
        var options = new TransportSecurityOptions
        {
            MtaSts = Bool(outbound["MtaSts"], "Smtp:Outbound:MtaSts") ?? true,
            TrustedCaFile = string.IsNullOrWhiteSpace(outbound["TrustedCaFile"]) ? null : outbound["TrustedCaFile"],
            DnsValidating = Bool(smtp.GetSection("Dns")["Validating"], "Smtp:Dns:Validating") ?? false,
            Dane = Bool(outbound["Dane"], "Smtp:Outbound:Dane"),
        };
        if (outbound["MtaStsPort"] is { } port)
        {
            options.MtaStsPort = int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 65535
                ? value
                : throw new FormatException($"Smtp:Outbound:MtaStsPort: '{port}' is not a port number");
        }

        if (outbound["MtaStsFetchTimeout"] is { } timeout)
        {
            options.MtaStsFetchTimeout = TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
                ? value
                : throw new FormatException($"Smtp:Outbound:MtaStsFetchTimeout: '{timeout}' is not a positive duration");
        }

        if (options.TrustedCaFile is not null && !File.Exists(options.TrustedCaFile))
        {
            throw new FormatException($"Smtp:Outbound:TrustedCaFile: '{options.TrustedCaFile}' does not exist");
        }

        return options;
    }

    private static bool? Bool(string? text, string key) =>
        text is null ? null : bool.TryParse(text, out var value) ? value : throw new FormatException($"{key}: '{text}' is not true or false");
}
