namespace Rampart.Smtp.Dsn;

/// <summary>Syntax of the DSN parameter values of MAIL and RCPT (RFC 3461 §4). A bad value is answered 501 5.5.4 by
/// the command.</summary>
public static class DsnParameters
{
    /// <summary>Longest ENVID accepted, as sent (xtext). 100: RFC 3461 §4.4 "MUST NOT exceed 100 characters".</summary>
    public const int MaxEnvelopeIdLength = 100;

    /// <summary>Longest ORCPT accepted, as sent. 500: RFC 3461 §4.2 "MUST NOT exceed 500 characters".</summary>
    public const int MaxOriginalRecipientLength = 500;

    /// <summary>RET=FULL or RET=HDRS (case-insensitive).</summary>
    public static bool TryParseReturn(string? value, out DsnReturn result)
    {
        result = value?.ToUpperInvariant() switch
        {
            "FULL" => DsnReturn.Full,
            "HDRS" => DsnReturn.Headers,
            _ => DsnReturn.Unspecified,
        };
        return result != DsnReturn.Unspecified;
    }

    /// <summary>ENVID=xtext, at most <see cref="MaxEnvelopeIdLength"/> characters; the decoded identifier.</summary>
    public static bool TryParseEnvelopeId(string? value, out string envelopeId)
    {
        envelopeId = "";
        return value is { Length: > 0 and <= MaxEnvelopeIdLength } && Xtext.TryDecode(value, out envelopeId);
    }

    /// <summary>NOTIFY=NEVER, or a comma-separated list of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1; NEVER stands alone).</summary>
    public static bool TryParseNotify(string? value, out DsnNotify notify)
    {
        notify = DsnNotify.None;
        if (value is null or { Length: 0 })
        {
            return false;
        }

        foreach (var word in value.Split(','))
        {
            var flag = word.ToUpperInvariant() switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => DsnNotify.None,
            };
            if (flag == DsnNotify.None || (notify & flag) != 0)
            {
                return false;
            }

            notify |= flag;
        }

        return notify == DsnNotify.Never || (notify & DsnNotify.Never) == 0;
    }

    /// <summary>ORCPT=addr-type;xtext (RFC 3461 §4.2): an atom, a semicolon, an xtext address.</summary>
    public static bool TryParseOriginalRecipient(string? value, out string addressType, out string address)
    {
        addressType = "";
        address = "";
        if (value is not { Length: > 0 and <= MaxOriginalRecipientLength })
        {
            return false;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon <= 0 || !value[..semicolon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return false;
        }

        addressType = value[..semicolon];
        return Xtext.TryDecode(value[(semicolon + 1)..], out address) && address.Length > 0;
    }
}
