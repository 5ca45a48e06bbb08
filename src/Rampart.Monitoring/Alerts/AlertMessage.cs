using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rampart.Monitoring.Alerts;

/// <summary>Builds the RFC 5322 messages alerts are mailed as: plain text, UTF-8, CRLF. Text that came from clients
/// (a client id, a user name) is reduced to printable characters before it goes into a header or the body, so it
/// cannot add header lines or terminal escapes.</summary>
public static class AlertMessage
{
    /// <summary>The message to the administrator for any alert.</summary>
    public static byte[] ForAdmin(Alert alert, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(options);
        var body = new StringBuilder()
            .Append("Rampart raised an alert.\r\n\r\n")
            .Append("What:     ").Append(Printable(alert.Summary)).Append("\r\n")
            .Append("Kind:     ").Append(alert.KindName).Append("\r\n")
            .Append("When:     ").Append(When(alert.Time)).Append("\r\n");
        AppendIf(body, "Account:  ", alert.Account);
        AppendIf(body, "From:     ", alert.ClientIp?.ToString());
        AppendIf(body, "Network:  ", alert.Network);
        AppendIf(body, "Protocol: ", alert.Protocol);
        AppendIf(body, "Session:  ", alert.SessionId);
        AppendIf(body, "Client:   ", alert.ClientId);
        body.Append("\r\nEnd a session with `rampart sessions kill ID`, or all of an account's with `rampart sessions kill --user NAME`.\r\n");
        return Compose(options.HostName, "Rampart alert: " + Printable(alert.Summary), body.ToString());
    }

    /// <summary>The "was this you?" message to the account's owner.</summary>
    public static byte[] ForUser(Alert alert, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(options);
        var body = new StringBuilder()
            .Append("Your account was just used from a network it has not used recently. Was this you?\r\n\r\n")
            .Append("When:     ").Append(When(alert.Time)).Append("\r\n")
            .Append("From:     ").Append(alert.ClientIp?.ToString() ?? "unknown").Append(alert.Network is null ? string.Empty : $" (network {alert.Network})").Append("\r\n")
            .Append("Protocol: ").Append(Printable(alert.Protocol ?? "unknown")).Append("\r\n")
            .Append("Client:   ").Append(Printable(alert.ClientId ?? "not sent")).Append("\r\n\r\n")
            .Append("If it was you, there is nothing to do.\r\n")
            .Append(Printable(options.RevokeInstructions)).Append("\r\n");
        return Compose(options.HostName, "Was this you? New sign-in to your mail account", body.ToString());
    }

    private static void AppendIf(StringBuilder body, string label, string? value)
    {
        if (value is not null)
        {
            body.Append(label).Append(Printable(value)).Append("\r\n");
        }
    }

    private static string When(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Keeps letters, digits, punctuation and spaces; drops control characters (CR, LF, ESC, …) and caps length.</summary>
    internal static string Printable(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, 200));
        foreach (var rune in value.EnumerateRunes())
        {
            if (text.Length >= 200)
            {
                text.Append('…');
                break;
            }

            if (!Rune.IsControl(rune) && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
            {
                text.Append(rune.ToString());
            }
        }

        return text.ToString();
    }

    private static byte[] Compose(string hostName, string subject, string body)
    {
        var host = Printable(hostName).Replace(" ", string.Empty, StringComparison.Ordinal);
        var headers = new StringBuilder()
            .Append("From: Rampart <postmaster@").Append(host).Append(">\r\n")
            .Append("Subject: ").Append(EncodeHeader(subject)).Append("\r\n")
            .Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))).Append('@').Append(host).Append(">\r\n")
            .Append("Auto-Submitted: auto-generated\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        return Encoding.UTF8.GetBytes(headers.Append(body).ToString());
    }

    // RFC 2047 encoded word when the subject is not plain ASCII.
    private static string EncodeHeader(string value) =>
        value.All(c => c is >= ' ' and <= '~') ? value : "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
}
