using System.Text;
using Rampart.Smtp.SenderChecks.DkimVerification;
using Rampart.Smtp.SenderChecks.Dmarc;
using Rampart.Smtp.SenderChecks.Spf;

namespace Rampart.Smtp.SenderChecks;

/// <summary>Writes the value of the Authentication-Results header field (RFC 8601 §2.2): the authserv-id, then one
/// resinfo per method. Every value that came from the network is quoted or reduced to a safe token, so a hostile
/// domain, selector or address cannot inject another result or a line break.</summary>
public static class AuthenticationResults
{
    /// <summary>Formats the results.</summary>
    public static string Format(string authServId, SpfOutcome spf, IReadOnlyList<DkimOutcome> dkim, DmarcOutcome dmarc)
    {
        ArgumentNullException.ThrowIfNull(authServId);
        ArgumentNullException.ThrowIfNull(spf);
        ArgumentNullException.ThrowIfNull(dkim);
        ArgumentNullException.ThrowIfNull(dmarc);
        var text = new StringBuilder(Value(authServId));
        text.Append(";\r\n\tspf=").Append(Name(spf.Result)).Append(" (").Append(Comment(spf.Reason)).Append(") smtp.")
            .Append(spf.Identity == "helo" ? "helo=" + Value(spf.Domain) : "mailfrom=" + Value(spf.Sender));
        if (dkim.Count == 0)
        {
            text.Append(";\r\n\tdkim=none");
        }

        foreach (var signature in dkim)
        {
            text.Append(";\r\n\tdkim=").Append(Name(signature.Result)).Append(" (").Append(Comment(signature.Reason)).Append(')');
            if (signature.Domain.Length > 0)
            {
                text.Append(" header.d=").Append(Value(signature.Domain));
            }

            if (signature.Selector.Length > 0)
            {
                text.Append(" header.s=").Append(Value(signature.Selector));
            }
        }

        text.Append(";\r\n\tdmarc=").Append(Name(dmarc.Result));
        var comment = dmarc.Policy is { } policy ? $"p={policy.ToString().ToLowerInvariant()} dis={dmarc.Disposition.ToString().ToLowerInvariant()}; {dmarc.Reason}" : dmarc.Reason;
        text.Append(" (").Append(Comment(comment)).Append(')');
        if (dmarc.FromDomain.Length > 0)
        {
            text.Append(" header.from=").Append(Value(dmarc.FromDomain));
        }

        return text.ToString();
    }

    private static string Name<T>(T result)
        where T : struct, Enum => result.ToString().ToLowerInvariant();

    // RFC 8601 §2.2 pvalue / RFC 2045 value: a token when it is one, else a quoted-string with " and \ escaped;
    // anything outside printable ASCII (line breaks above all) becomes '?'.
    private static string Value(string value)
    {
        var clean = new string(value.Take(256).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());

        // Unquoted only when made of atext plus '.' and '@' (a domain or a plain local-part@domain, as RFC 8601 §2.3
        // allows); anything else, including ';' '(' and spaces, is quoted so it cannot end the resinfo.
        if (clean.Length > 0 && clean.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.@".Contains(c, StringComparison.Ordinal)))
        {
            return clean;
        }

        return "\"" + clean.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    // A comment (RFC 5322 §3.2.2) holding only safe printable text: no parentheses or backslashes to unbalance it.
    private static string Comment(string text) =>
        new(text.Take(200).Select(c => c is >= ' ' and <= '~' && c is not ('(' or ')' or '\\') ? c : '?').ToArray());
}
