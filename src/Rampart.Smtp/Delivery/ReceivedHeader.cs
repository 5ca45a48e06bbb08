using System.Globalization;
using System.Net;
using System.Text;

namespace Rampart.Smtp.Delivery;

/// <summary>Builds the <c>Received:</c> trace field this server prepends to every message it accepts.</summary>
/// <remarks>RFC 5321 §4.4 (time-stamp-line: from, by, with, id, for), RFC 3848 and RFC 6531 §4.3 (the
/// <c>with</c> protocol names: ESMTP, ESMTPS, ESMTPA, ESMTPSA, LMTP…, UTF8SMTP…). Only values this server parsed
/// and validated go in (the HELO name passed the domain syntax check), so a client cannot inject header lines.</remarks>
public static class ReceivedHeader
{
    /// <summary>The field, folded, ending in CRLF.</summary>
    /// <param name="heloName">The validated HELO/EHLO/LHLO argument.</param>
    /// <param name="client">The client's address.</param>
    /// <param name="hostName">This server.</param>
    /// <param name="protocol">The <c>with</c> value (see <see cref="ProtocolName"/>).</param>
    /// <param name="id">An id for logs.</param>
    /// <param name="forAddress">The single recipient, or null when there are several (RFC 5321 §7.2: do not list them all).</param>
    /// <param name="time">When the message was received.</param>
    public static string Build(string heloName, IPAddress client, string hostName, string protocol, string id, string? forAddress, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(client);
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        var literal = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6:" + address : address.ToString();
        var builder = new StringBuilder();
        builder.Append("Received: from ").Append(heloName).Append(" ([").Append(literal).Append("])\r\n");
        builder.Append("\tby ").Append(hostName).Append(" (Rampart) with ").Append(protocol).Append(" id ").Append(id);
        if (forAddress is not null)
        {
            builder.Append("\r\n\tfor <").Append(forAddress).Append('>');
        }

        builder.Append(";\r\n\t").Append(time.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n");
        return builder.ToString();
    }

    /// <summary>The RFC 3848 / RFC 6531 protocol name for the <c>with</c> clause.</summary>
    public static string ProtocolName(bool lmtp, bool extended, bool tls, bool authenticated, bool utf8)
    {
        var name = lmtp ? "LMTP" : extended ? "ESMTP" : "SMTP";
        if (utf8)
        {
            name = lmtp ? "UTF8LMTP" : "UTF8SMTP";
        }

        if (!extended && !utf8 && !lmtp)
        {
            return name;
        }

        return name + (tls ? "S" : "") + (authenticated ? "A" : "");
    }
}
