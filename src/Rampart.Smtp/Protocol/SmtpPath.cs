namespace Rampart.Smtp.Protocol;

/// <summary>The argument of MAIL or RCPT: a path in angle brackets and its ESMTP parameters.</summary>
/// <remarks>RFC 5321 §4.1.1.2–§4.1.1.3 and §4.1.2 (Path, Reverse-path, Forward-path, Mail-parameters,
/// Rcpt-parameters). A source route (<c>&lt;@relay:user@domain&gt;</c>) is accepted and ignored, as §4.1.1.3
/// (and Appendix C) tell servers to do; it is never followed.</remarks>
/// <param name="Address">The mailbox; null for the null reverse path <c>&lt;&gt;</c> (RFC 5321 §4.5.5).</param>
/// <param name="Parameters">The ESMTP parameters, keywords upper-cased, in order.</param>
public sealed record SmtpPath(SmtpAddress? Address, IReadOnlyList<EsmtpParameter> Parameters)
{
    /// <summary>Most parameters on one MAIL or RCPT: 16, several times what any extension combination uses.</summary>
    public const int MaxParameters = 16;

    /// <summary>The value of parameter <paramref name="keyword"/>, or null; <paramref name="present"/> says whether it was given.</summary>
    public string? Get(string keyword, out bool present)
    {
        foreach (var parameter in Parameters)
        {
            if (parameter.Keyword == keyword)
            {
                present = true;
                return parameter.Value;
            }
        }

        present = false;
        return null;
    }

    /// <summary>Parses <c>FROM:&lt;…&gt; params</c> or <c>TO:&lt;…&gt; params</c>.</summary>
    /// <param name="arguments">The text after the verb.</param>
    /// <param name="prefix"><c>FROM:</c> or <c>TO:</c>.</param>
    /// <param name="allowNull">Whether <c>&lt;&gt;</c> is allowed (reverse path only).</param>
    /// <param name="path">The parsed path.</param>
    /// <param name="error">Why it failed, for a 501 reply.</param>
    public static bool TryParse(string arguments, string prefix, bool allowNull, out SmtpPath? path, out string error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(prefix);
        path = null;
        if (!arguments.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            error = $"Syntax: {prefix}<address>";
            return false;
        }

        // RFC 5321 §4.1.1.2 has no space after the colon; many clients send one, and it is harmless.
        var rest = arguments[prefix.Length..].TrimStart(' ');
        if (!rest.StartsWith('<'))
        {
            error = "Address must be in angle brackets";
            return false;
        }

        var close = FindClosingBracket(rest);
        if (close < 0)
        {
            error = "Missing '>'";
            return false;
        }

        var inner = rest[1..close];
        SmtpAddress? address = null;
        if (inner.Length == 0)
        {
            if (!allowNull)
            {
                error = "A recipient cannot be empty";
                return false;
            }
        }
        else
        {
            if (inner.StartsWith('@'))
            {
                // A-d-l ":" Mailbox: drop the route (RFC 5321 §4.1.1.3: "SHOULD ignore").
                var colon = inner.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    error = "Bad source route";
                    return false;
                }

                inner = inner[(colon + 1)..];
            }

            if (!SmtpAddress.TryParse(inner, out address, out error))
            {
                return false;
            }
        }

        if (!EsmtpParameter.TryParseList(rest[(close + 1)..], MaxParameters, out var parameters, out error))
        {
            return false;
        }

        path = new SmtpPath(address, parameters);
        return true;
    }

    private static int FindClosingBracket(string text)
    {
        var quoted = false;
        for (var i = 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '>' when !quoted:
                    return i;
            }
        }

        return -1;
    }
}
