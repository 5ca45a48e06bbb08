using Rampart.Net.Options;

namespace Rampart.Server.Configuration;

/// <summary>The listener names Rampart knows, with their protocol, standard port and defaults. The names and their
/// shape are fixed so that operators and scripts can move any listener before its protocol ships.</summary>
public static class ListenerCatalog
{
    /// <summary>All listeners in display order.</summary>
    public static IReadOnlyList<ListenerDefinition> All { get; } =
    [
        new("imaps", "imap", "0.0.0.0", 993, TlsMode.Implicit, Enabled: true, "IMAP over implicit TLS (RFC 8314)"),
        new("imap", "imap", "0.0.0.0", 143, TlsMode.StartTls, Enabled: false, "IMAP with STARTTLS; off by default (RFC 8314 prefers implicit TLS)"),
        new("pop3s", "pop3", "0.0.0.0", 995, TlsMode.Implicit, Enabled: true, "POP3 over implicit TLS (RFC 8314)"),
        new("pop3", "pop3", "0.0.0.0", 110, TlsMode.StartTls, Enabled: false, "POP3 with STLS; off by default"),
        new("submissions", "smtp", "0.0.0.0", 465, TlsMode.Implicit, Enabled: true, "message submission over implicit TLS (RFC 8314)"),
        new("submission", "smtp", "0.0.0.0", 587, TlsMode.StartTls, Enabled: false, "message submission with STARTTLS (RFC 6409); off by default"),
        new("smtp", "smtp", "0.0.0.0", 25, TlsMode.StartTls, Enabled: false, "inbound SMTP for hosted domains (RFC 5321); off by default"),
        new("lmtp", "lmtp", "127.0.0.1", 24, TlsMode.None, Enabled: false, "LMTP delivery from a local MTA (RFC 2033); loopback only by default"),
        new("admin", "admin", "127.0.0.1", 9443, TlsMode.Implicit, Enabled: false, "admin API and metrics (HTTPS); loopback only"),
    ];

    public static ListenerDefinition? Find(string name) =>
        All.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A listener name with its protocol and defaults.</summary>
/// <param name="Name">Configuration key, e.g. <c>imaps</c>.</param>
/// <param name="Protocol">Protocol spoken: imap, pop3, smtp, lmtp, admin; also the TLS ALPN name where one applies.</param>
/// <param name="DefaultAddress">Address bound by default.</param>
/// <param name="DefaultPort">The protocol's standard port.</param>
/// <param name="DefaultSecurity">Implicit TLS, STARTTLS or none.</param>
/// <param name="Enabled">Whether it is on with no configuration.</param>
/// <param name="Description">One line for <c>config check</c> and the docs.</param>
public sealed record ListenerDefinition(
    string Name,
    string Protocol,
    string DefaultAddress,
    int DefaultPort,
    TlsMode DefaultSecurity,
    bool Enabled,
    string Description);
