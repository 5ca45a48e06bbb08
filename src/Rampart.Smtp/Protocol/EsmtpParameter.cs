namespace Rampart.Smtp.Protocol;

/// <summary>One ESMTP parameter of MAIL or RCPT: <c>keyword[=value]</c> (RFC 5321 §4.1.2 esmtp-param).</summary>
/// <param name="Keyword">Upper-cased keyword.</param>
/// <param name="Value">The value, or null when the keyword stands alone.</param>
public sealed record EsmtpParameter(string Keyword, string? Value)
{
    /// <summary>Parses the space-separated parameters after the path. False on a malformed one (501 5.5.4).</summary>
    public static bool TryParseList(string text, int max, out IReadOnlyList<EsmtpParameter> parameters, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<EsmtpParameter>();
        parameters = list;
        error = "";
        if (text.Length > 0 && text[0] != ' ')
        {
            error = "Parameters must follow the address after a space";
            return false;
        }

        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (list.Count == max)
            {
                error = "Too many parameters";
                return false;
            }

            var equals = word.IndexOf('=', StringComparison.Ordinal);
            var keyword = equals < 0 ? word : word[..equals];
            var value = equals < 0 ? null : word[(equals + 1)..];
            // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); esmtp-value = 1*(%d33-60 / %d62-126) or UTF-8 (RFC 6531).
            if (keyword.Length == 0 || !char.IsAsciiLetterOrDigit(keyword[0]) || !keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
                || (value is not null && (value.Length == 0 || value.Any(c => c is '=' or < '!' or '\x7f'))))
            {
                error = $"Malformed parameter {word}";
                return false;
            }

            if (list.Exists(p => p.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase)))
            {
                error = $"Parameter {keyword} given twice";
                return false;
            }

            list.Add(new EsmtpParameter(keyword.ToUpperInvariant(), value));
        }

        return true;
    }
}
