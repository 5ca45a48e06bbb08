using System.Globalization;
using System.Net;

namespace Rampart.Net.Options;

/// <summary>One listening socket: where it binds and how it uses TLS.</summary>
/// <remarks>Bound from configuration section <c>Listeners:&lt;name&gt;</c>.</remarks>
public sealed class ListenerOptions
{
    /// <summary>
    /// Where to listen, as <c>ADDRESS:PORT</c>: <c>0.0.0.0:993</c>, <c>[::]:993</c> (dual-stack),
    /// <c>127.0.0.1:10993</c>. Port 0 asks the system for a free port (tests).
    /// </summary>
    public string Endpoint { get; set; } = "";

    /// <summary>Whether the listener runs. Default true; plaintext listeners are shipped disabled by the host.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>TLS mode. Default <see cref="TlsMode.Implicit"/> (RFC 8314: secure by default).</summary>
    public TlsMode Tls { get; set; } = TlsMode.Implicit;

    /// <summary>
    /// The ALPN protocol id of this listener ("imap", "pop3", "smtp"), or null for none. A client that
    /// offers ALPN without this id is refused, which stops cross-protocol attacks (ALPACA, RFC 7301 §3.2).
    /// </summary>
    public string? Alpn { get; set; }

    /// <summary>TLS client certificates for SASL EXTERNAL; off by default.</summary>
    public ClientCertificateOptions ClientCertificates { get; set; } = new();

    /// <summary>Parses <see cref="Endpoint"/>; see <see cref="ParseEndpoint"/>.</summary>
    public IPEndPoint GetEndPoint() => ParseEndpoint(Endpoint);

    /// <summary>
    /// Parses <c>ADDRESS:PORT</c> where an IPv6 address is written in brackets (<c>[::1]:993</c>).
    /// Host names are not accepted: a listener binds an address, and name resolution at start-up
    /// would make the bound address depend on DNS.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid endpoint; the message says why.</exception>
    public static IPEndPoint ParseEndpoint(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid(text, "it is empty");
        }

        text = text.Trim();
        string addressText;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw Invalid(text, "an IPv6 address in brackets must be followed by :PORT");
            }

            addressText = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                throw Invalid(text, "the port is missing");
            }

            addressText = text[..colon];
            portText = text[(colon + 1)..];
            if (addressText.Contains(':', StringComparison.Ordinal))
            {
                throw Invalid(text, "write an IPv6 address in brackets");
            }
        }

        if (!IPAddress.TryParse(addressText, out var address))
        {
            throw Invalid(text, $"\"{addressText}\" is not an IP address");
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw Invalid(text, $"\"{portText}\" is not a port number (0-65535)");
        }

        return new IPEndPoint(address, port);
    }

    private static FormatException Invalid(string? text, string why) =>
        new($"Invalid listener endpoint \"{text}\": {why}. Expected ADDRESS:PORT such as 0.0.0.0:993, [::]:993 or 127.0.0.1:10993.");
}
