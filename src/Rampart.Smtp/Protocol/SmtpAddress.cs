using System.Globalization;
using System.Net;
using System.Text;

namespace Rampart.Smtp.Protocol;

/// <summary>A mailbox from an SMTP path: a local part and a domain (or address literal).</summary>
/// <remarks>RFC 5321 §4.1.2 (Mailbox, Local-part, Dot-string, Quoted-string, address-literal), RFC 6531 §3.3
/// (UTF-8 in both parts). The local part is kept as sent, unquoted; the domain is lower-cased (and kept in its
/// U-label form when the client sent one).</remarks>
/// <param name="LocalPart">The local part, without quotes or quoting backslashes.</param>
/// <param name="Domain">The domain, lower case, or an address literal in brackets such as <c>[192.0.2.1]</c>.</param>
public sealed record SmtpAddress(string LocalPart, string Domain)
{
    /// <summary>Longest local part: 64 octets (RFC 5321 §4.5.3.1.1).</summary>
    public const int MaxLocalPartLength = 64;

    /// <summary>Longest domain: 255 octets (RFC 5321 §4.5.3.1.2).</summary>
    public const int MaxDomainLength = 255;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>Whether the domain is an address literal (<c>[…]</c>).</summary>
    public bool IsAddressLiteral => Domain.StartsWith('[');

    /// <summary>Whether any part holds non-ASCII text (then the client must have said SMTPUTF8, RFC 6531 §3.4).</summary>
    public bool NeedsSmtpUtf8 => !Ascii.IsValid(LocalPart) || !Ascii.IsValid(Domain);

    /// <summary>The address as <c>local@domain</c>, with the local part quoted when it must be.</summary>
    public override string ToString() => (IsDotString(LocalPart) ? LocalPart : Quote(LocalPart)) + "@" + Domain;

    /// <summary>Parses <c>local@domain</c> (no angle brackets). False with a reason for a 501/553 reply.</summary>
    public static bool TryParse(string text, out SmtpAddress? address, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        string local;
        int at;
        if (text.StartsWith('"'))
        {
            // Quoted-string: qtextSMTP or quoted-pairSMTP (backslash and one printable character).
            var builder = new StringBuilder();
            var i = 1;
            for (; i < text.Length && text[i] != '"'; i++)
            {
                var c = text[i];
                if (c == '\\')
                {
                    if (++i == text.Length || text[i] < ' ' || text[i] == '\x7f')
                    {
                        error = "Bad quoted local part";
                        return false;
                    }

                    builder.Append(text[i]);
                }
                else if (c < ' ' || c == '\x7f')
                {
                    error = "Bad quoted local part";
                    return false;
                }
                else
                {
                    builder.Append(c);
                }
            }

            if (i >= text.Length - 1 || text[i + 1] != '@')
            {
                error = "Bad quoted local part";
                return false;
            }

            local = builder.ToString();
            at = i + 1;
        }
        else
        {
            at = text.LastIndexOf('@');
            if (at <= 0)
            {
                error = "Address needs a local part and a domain";
                return false;
            }

            local = text[..at];
            if (!IsDotString(local))
            {
                error = "Bad local part";
                return false;
            }
        }

        if (Encoding.UTF8.GetByteCount(local) > MaxLocalPartLength)
        {
            error = "Local part too long";
            return false;
        }

        if (!TryParseDomain(text[(at + 1)..], out var domain, out error))
        {
            return false;
        }

        address = new SmtpAddress(local, domain!);
        return true;
    }

    /// <summary>Parses a domain (with IDN U-labels allowed) or an address literal, as in EHLO and in a Mailbox.</summary>
    public static bool TryParseDomain(string text, out string? domain, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        domain = null;
        error = "";
        if (text.Length == 0 || Encoding.UTF8.GetByteCount(text) > MaxDomainLength)
        {
            error = "Bad domain";
            return false;
        }

        if (text.StartsWith('['))
        {
            // address-literal: [IPv4] or [IPv6:…] (RFC 5321 §4.1.3); general literals are not accepted.
            if (!text.EndsWith(']'))
            {
                error = "Bad address literal";
                return false;
            }

            var inner = text[1..^1];
            var isV6 = inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase);
            var ip = isV6 ? inner[5..] : inner;
            if (!IPAddress.TryParse(ip, out var parsed)
                || (isV6 ? parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 : parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || ip.Count(c => c == '.') != 3))
            {
                error = "Bad address literal";
                return false;
            }

            domain = isV6 ? "[IPv6:" + parsed + "]" : "[" + parsed + "]";
            return true;
        }

        try
        {
            // IDNA validation (RFC 5890); the U-label form is what the client wrote and what hosted domains hold.
            var ascii = Idn.GetAscii(text);
            if (ascii.Split('.').Any(label => label.Length == 0 || label.Length > 63))
            {
                error = "Bad domain";
                return false;
            }
        }
        catch (ArgumentException)
        {
            error = "Bad domain";
            return false;
        }

        domain = text.ToLowerInvariant();
        return true;
    }

    /// <summary>Whether <paramref name="local"/> is a Dot-string: atoms of atext (and UTF-8, RFC 6531) joined by single dots.</summary>
    public static bool IsDotString(string local)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (local.Length == 0 || local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (c != '.' && !IsAtext(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal) || (c > '\x7f' && !char.IsControl(c) && !char.IsWhiteSpace(c));

    private static string Quote(string local)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in local)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }
}
